"""The findings frame: the contract between the engine and everything that reads it.

``cptrack.engine.evaluate`` returns it; views, reports, exports and the CLI read it with the
helpers here. The frame (a contract other modules build on; columns may be added, never renamed):

=====================  ====================================================================
``child_id``           the child (str)
``plan_id``            the CP plan the finding is about (Int64; NA when none)
``rule_id``            the profile rule (str); ``kind`` is "timescale" or "drift"
``event``              what the rule governs ("icpc", "review", "visit", ...; see
                       ``cptrack.rules.profiles.EVENTS``)
``occurrence``         1, 2, ... per child and rule, in due-date order
``subject_table``,     the record the finding is about ("conferences", 123), e.g. the visit
``subject_id``         that met the timescale, or the plan when nothing has met it yet
``anchor_date``        when the clock started; ``due_date`` when it runs out; ``actual_date``
                       when the event happened (NaT when it has not)
``status``             exactly one of STATUSES (below)
``status_text``        the status in words a chair reads: "met late by 3 working days"
``working_days_late``  Int64: positive late, negative early; for an overdue item, working
                       days from the due date to ``as_of`` (or to the plan's end); NA when
                       unknown or not yet due
``days_late``          the same in calendar days
``working_days_to_due`` Int64, for items still due: working days from ``as_of`` to the due
                       date (0 = due today)
``rag``                "red" overdue; "amber" due within the profile's ``amber_window_wd``
                       working days, or cannot tell, or booked for a day after its due date
                       (whenever it is due: "booked N working days after it is due"); "green"
                       due later; "" for closed items
                       (met, met late, not yet applicable). Drift alerts are never green: a
                       raised alert is "amber" ("due") or "red" ("overdue")
``rule_text``,         the standard in words, and where it comes from (the seed and
``citation``           paragraph or URL; for a rule with none, "local setting" or "the
                       plan's own record")
``basis``              what the figure applied to this row rests on: "national" (national
                       guidance or statistics, only for a figure they fix), "authority" (the
                       authority's own standard), "plan" (the plan's own record, e.g. a
                       visiting frequency stricter than the profile's minimum) or "local" (a
                       figure the authority chooses; no source gives it)
``basis_text``         the basis in words: "local setting, cptrack's default: within 10
                       working days of the previous visit (setting visit_frequency_wd); no
                       national guidance or seed standard gives this figure"
``message``            one line: what and its timescale, the status, the source
``booked_date``        for open items, the date already booked for the event (NaT if none)
``live``               bool: still to act on (due, overdue, cannot tell, not yet applicable)
                       and its window still open: not when the plan has ended, nor when a
                       later event has settled it (the conference a report was for was held;
                       the child's next conference came after the decisions, plan or minutes
                       of this one; the plan was reviewed at conference after an action's due
                       date: "not done by the review of DATE"). Dashboards count live items;
                       history is the rest
=====================  ====================================================================

Text columns are pandas ``Categorical``s of ``str`` (a million rows share a few thousand
distinct texts; strings per row would cost more than the evaluation on a large caseload):
compare them with ``==`` and ``isin``, use ``.str`` as usual, and ``.astype(str)`` before
joining texts. Ids and day counts are nullable ``Int64``; dates are ``datetime64[us]``.

Statuses: ``met`` (happened on or before the due date), ``met_late`` (happened after it),
``overdue`` (has not happened and the due date has passed; for a plan that has since ended,
"missed"), ``due`` (has not happened, due date today or later), ``not_yet_applicable``
(the clock has not started: e.g. the first core group of a pre-birth plan not yet held for
the Birth Arrangements Form), ``cannot_tell`` (a record the check needs is missing; the
text names it).

For drift alerts (``kind == "drift"``) the same words mean: ``due`` an alert is raised and
should be acted on (amber), ``overdue`` the alert's red line is passed (red), ``met`` the
required response happened (an Enhanced Risk Analysis Meeting held).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

STATUSES = ("met", "met_late", "overdue", "due", "not_yet_applicable", "cannot_tell")
OPEN_STATUSES = ("overdue", "due", "cannot_tell")
WORST_ORDER = ("overdue", "cannot_tell", "due", "met_late", "met", "not_yet_applicable")

COLUMNS = (
    "child_id",
    "plan_id",
    "rule_id",
    "kind",
    "event",
    "occurrence",
    "subject_table",
    "subject_id",
    "anchor_date",
    "due_date",
    "actual_date",
    "status",
    "status_text",
    "working_days_late",
    "days_late",
    "working_days_to_due",
    "rag",
    "rule_text",
    "citation",
    "message",
    "basis",
    "basis_text",
    "booked_date",
    "live",
)
DATE_COLUMNS = ("anchor_date", "due_date", "actual_date", "booked_date")

RAGS = ("", "red", "amber", "green")
SUBJECT_TABLES = (
    "conferences",
    "agency_reports",
    "core_groups",
    "visits",
    "cp_plans",
    "s47_enquiries",
    "escalations",
    "plan_actions",
)


def empty_findings() -> pd.DataFrame:
    """A findings frame with no rows and every column typed."""
    out = {}
    for col in COLUMNS:
        if col in DATE_COLUMNS:
            out[col] = pd.Series([], dtype="datetime64[us]")
        elif col in (
            "plan_id",
            "subject_id",
            "working_days_late",
            "days_late",
            "working_days_to_due",
        ):
            out[col] = pd.Series([], dtype="Int64")
        elif col == "occurrence":
            out[col] = pd.Series([], dtype="int64")
        elif col == "live":
            out[col] = pd.Series([], dtype=bool)
        else:
            out[col] = pd.Series(pd.Categorical([], categories=pd.Index([], dtype=object)))
    return pd.DataFrame(out)


def child_summary(findings: pd.DataFrame) -> pd.DataFrame:
    """Per child: counts by rag of live items, the worst status, and the next item due.

    Columns: ``child_id``, ``red``, ``amber``, ``green``, ``open``, ``worst_status``,
    ``next_due_date``, ``next_rule_id``, ``next_message``. Only children with findings.
    """
    child = findings["child_id"].astype(object)
    rag = findings["rag"].astype(object).where(findings["live"], "")  # history is not counted
    out = pd.DataFrame(index=pd.Index(pd.unique(child), name="child_id"))
    for colour in ("red", "amber", "green"):
        out[colour] = (rag == colour).groupby(child).sum().reindex(out.index, fill_value=0)
    out["open"] = out[["red", "amber", "green"]].sum(axis=1)
    rank = pd.Categorical(findings["status"].astype(object), categories=list(WORST_ORDER)).codes
    worst = pd.Series(rank, index=findings.index).groupby(child).min()
    out["worst_status"] = worst.map(dict(enumerate(WORST_ORDER))).reindex(out.index)
    upcoming = findings[(findings["status"] == "due") & (findings["kind"] == "timescale")]
    nxt = upcoming.sort_values("due_date", kind="stable")
    nxt = nxt.assign(child_id=nxt["child_id"].astype(object)).drop_duplicates("child_id")
    nxt = nxt.set_index("child_id")
    out["next_due_date"] = nxt["due_date"].reindex(out.index)
    out["next_rule_id"] = nxt["rule_id"].astype(object).reindex(out.index)
    out["next_message"] = nxt["message"].astype(object).reindex(out.index)
    for colour in ("red", "amber", "green", "open"):
        out[colour] = out[colour].astype("int64")
    return out.reset_index()


def next_due(findings: pd.DataFrame, event: str | tuple[str, ...]) -> pd.DataFrame:
    """The next open item per child (and plan) for one event or several: when it is due,
    what is booked, and the status. Use ("first_review", "review") for the next review."""
    events = (event,) if isinstance(event, str) else tuple(event)
    open_items = findings[
        findings["event"].isin(events)
        & findings["status"].isin(("due", "overdue"))
        & findings["live"]
    ]
    cols = ["child_id", "plan_id", "rule_id", "due_date", "booked_date", "status", "status_text"]
    return (
        open_items.sort_values("due_date", kind="stable")
        .drop_duplicates("child_id")[cols]
        .sort_values("child_id", kind="stable")
        .reset_index(drop=True)
    )


SCHEDULE_EVENTS = {
    "next_review_due": ("first_review", "review"),
    "next_core_group_due": ("first_core_group", "core_group"),
    "next_visit_due": ("visit",),
    "next_seen_alone_due": ("visit_seen_alone",),
    "midway_review_due": ("midway_review",),
}


def plan_schedule(findings: pd.DataFrame, profile) -> pd.DataFrame:
    """Per plan with open items: when the next review, core group, visit, seen-alone visit and
    midway review are due (from the same rules), the review already booked, the conference the
    review counts from, and the midway point between them (setting ``midway_review_point``),
    whether or not the profile checks midway reviews. Vectorised over the findings."""
    open_items = findings[
        findings["status"].isin(("due", "overdue")) & findings["plan_id"].notna() & findings["live"]
    ]
    keys = ["child_id", "plan_id"]
    open_items = open_items.assign(child_id=open_items["child_id"].astype(object))
    out = open_items[keys].drop_duplicates().set_index(keys)
    for column, events in SCHEDULE_EVENTS.items():
        rows = open_items[open_items["event"].isin(events)].sort_values("due_date", kind="stable")
        first = rows.drop_duplicates(keys).set_index(keys)
        out[column] = first["due_date"]
        if column == "next_review_due":
            out["review_booked"] = first["booked_date"]
            out["last_conference"] = first["anchor_date"]
    span = out["next_review_due"] - out["last_conference"]
    point = float(profile.settings["midway_review_point"])
    out["midway_point"] = (out["last_conference"] + (span * point).dt.round("D")).astype(
        "datetime64[us]"
    )
    return out.reset_index()


def upcoming(findings: pd.DataFrame, as_of, days: int = 60) -> pd.DataFrame:
    """Open items due from ``as_of`` to ``as_of + days``, and every overdue item: the events a
    calendar export needs."""
    start = pd.Timestamp(as_day(as_of))
    end = start + pd.Timedelta(days=days)
    due = findings["due_date"]
    mask = ((findings["status"] == "overdue") & findings["live"]) | (
        (findings["status"] == "due") & (due >= start) & (due <= end)
    )
    return findings[mask].reset_index(drop=True)


def findings_to_records(findings: pd.DataFrame) -> list[dict[str, Any]]:
    """Plain dicts for JSON: ISO dates, None for missing values."""
    frame = findings_for_export(findings)
    return [
        {
            k: (None if v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v)
            for k, v in row.items()
        }
        for row in frame.to_dict(orient="records")
    ]


def findings_for_export(findings: pd.DataFrame) -> pd.DataFrame:
    """A copy with ISO date strings ("" when missing), ready for CSV."""
    out = findings.copy()
    for col in DATE_COLUMNS:
        if col in out:
            values = out[col]
            out[col] = values.dt.strftime("%Y-%m-%d").where(values.notna(), None).astype(object)
    return out


def as_day(value) -> np.datetime64:
    return np.datetime64(pd.Timestamp(value).date(), "D")
