"""The case-tracking app's model: the dashboard counts the engine's live findings, filters
and sorts; a child's file holds the chronology and every finding with its citation; the
record is refused field by field (nothing written), saved with its audit row, amended from
its version, and a stale amendment is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from cptrack import engine
from cptrack.apps.tracking.chart import timeline_svg
from cptrack.apps.tracking.html import dashboard_table
from cptrack.caseload import load
from cptrack.casework.tracking import child as child_file
from cptrack.casework.tracking import dashboard
from cptrack.casework.tracking import record as tracking_record
from cptrack.casework.tracking.dashboard import Dashboard
from cptrack.demo import synthetic as demo
from cptrack.domain.models import RecordError, today
from cptrack.rules import profiles
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store

TODAY = today()
NATIONAL = profiles.load("national")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("tracking") / "demo.sqlite"
    with Store.open(str(path), migrate=True) as store:
        demo.populate(store, children=120, seed=3, as_of=TODAY)
        yield store


@pytest.fixture(scope="module")
def dash(demo_store) -> Dashboard:
    return dashboard.dashboard(demo_store, NATIONAL, TODAY, chair_id=1)


def test_each_row_counts_the_engines_live_findings_for_that_child(demo_store, dash):
    """The RAG counts are those of `cptrack check --open` (live findings, no cut-off)."""
    findings = engine.evaluate(load(demo_store, chair_id=1), NATIONAL, TODAY)
    live = findings[findings["live"]]
    assert len(dash.rows) > 10
    for r in dash.rows.itertuples():
        mine = live[live["child_id"] == r.child_id]["rag"].astype(object)
        assert (r.red, r.amber, r.green) == (
            (mine == "red").sum(),
            (mine == "amber").sum(),
            (mine == "green").sum(),
        ), r.child_id
        expected = "red" if r.red else "amber" if r.amber else "green" if r.green else ""
        assert expected == r.rag


def test_rows_are_children_on_a_plan_or_awaiting_an_initial_conference(demo_store, dash):
    cl = load(demo_store, chair_id=1)
    plans = cl.cp_plans
    on_plan = set(plans.loc[plans["end_date"].isna(), "child_id"])
    assert set(dash.rows.loc[dash.rows["status"] == "plan", "child_id"]) == on_plan
    awaiting = dash.rows[dash.rows["status"] == "awaiting_icpc"]
    assert awaiting["plan_id"].isna().all()
    assert (awaiting["review_event"] == "icpc").all()
    assert (dash.rows["chair"] != "").all()


def test_the_most_urgent_come_first(dash):
    reds = dash.rows["red"].tolist()
    assert reds == sorted(reds, reverse=True)
    first_green = dash.rows.index[dash.rows["rag"] == "green"]
    if len(first_green):
        assert (dash.rows.loc[: first_green[0], "red"] >= 0).all()
        assert (dash.rows.loc[first_green[0] :, "red"] == 0).all()


def test_filters_narrow_the_rows(dash):
    red = dash.filtered(rag="red")
    assert len(red) and (red["red"] > 0).all()
    assert len(dash.filtered(rag="any")) == len(dash.rows)
    drift = dash.filtered(drift_only=True)
    assert (drift["drift"] > 0).all()
    category = dash.rows["category"].dropna().iloc[0]
    assert (dash.filtered(category=category)["category"] == category).all()
    team = int(dash.rows["team_id"].dropna().iloc[0])
    assert (dash.filtered(team=team)["team_id"] == team).all()


def test_the_summary_strip_adds_up(dash):
    s = dash.summary()
    assert s["children"] == len(dash.rows)
    assert s["children_overdue"] == (dash.rows["red"] > 0).sum()
    assert s["overdue"] == dash.rows["red"].sum()
    assert s["drift"] == dash.rows["drift"].sum()


def test_the_table_is_one_escaped_html_table_with_words_for_colours(dash):
    rows = dash.rows.copy()
    rows.loc[rows.index[0], "name"] = "<script>alert(1)</script>"
    html = dashboard_table(rows, with_chair=False)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<tr class='rag-") == len(rows)
    assert "Red: overdue" in html
    assert "showing" not in dashboard_table(rows, with_chair=False).lower()
    assert "most urgent of" in dashboard_table(rows, with_chair=False, limit=3)


def test_a_childs_file_has_the_chronology_findings_and_siblings(demo_store, dash):
    child = dash.rows["child_id"].iloc[0]
    file = child_file.open_child(demo_store, child, NATIONAL, TODAY)
    chron = file.chronology()
    kinds = set(chron["kind"])
    assert {"Conference", "Plan", "Core group", "Visit", "Case tracking"} <= kinds
    assert chron["date"].is_monotonic_increasing
    found = file.open_findings()
    assert len(found) and found["rule_text"].astype(str).str.len().gt(0).all()
    assert found["citation"].astype(str).str.len().gt(0).all()
    family = demo_store.get("children", child)["family_id"]
    expected = {c["id"] for c in demo_store.rows("children", family_id=family)} - {child}
    assert set(file.siblings["child_id"]) == expected
    svg = timeline_svg(chron, TODAY, [(file.plan["start_date"], None)])
    assert svg.startswith("<svg") and file.child["family_name"] not in svg


def test_no_such_child_is_a_clear_refusal(demo_store):
    with pytest.raises(RecordError, match="there is no child 'C999999'"):
        child_file.open_child(demo_store, "C999999", NATIONAL, TODAY)


@pytest.fixture
def small(db_url):
    with Store.open(db_url, migrate=True) as store:
        demo.populate(store, children=12, seed=5, as_of=TODAY)
        yield store


def _child_on_plan(store) -> str:
    return next(p["child_id"] for p in store.rows("cp_plans") if p["end_date"] is None)


def test_a_bad_record_is_refused_by_field_and_nothing_is_written(small):
    file = child_file.open_child(small, _child_on_plan(small), NATIONAL, TODAY)
    draft = tracking_record.new_draft(file, TODAY).with_values(
        observations="  ",
        decision="advice_social_worker",
        next_check_date=TODAY - dt.timedelta(days=1),
    )
    before = (small.count("case_tracking"), len(small.audit("case_tracking")))
    with pytest.raises(RecordError) as exc:
        tracking_record.save(small, draft, TODAY)
    by_field = exc.value.by_field()
    assert "before today" in by_field["next_check_date"][0]
    assert "Write what you found" in by_field["observations"][0]
    assert "concerns" in by_field and "decision" not in by_field
    assert before == (small.count("case_tracking"), len(small.audit("case_tracking")))
    undecided = tracking_record.new_draft(file, TODAY)
    assert undecided.decision is None
    assert "Choose the decision." in [e.message for e in undecided.problems(TODAY)]


def test_a_record_is_saved_audited_amended_and_a_stale_amendment_refused(small):
    child = _child_on_plan(small)
    file = child_file.open_child(small, child, NATIONAL, TODAY)
    draft = tracking_record.new_draft(file, TODAY).with_values(
        checked_visits=True,
        observations="Visits on time; child seen alone.",
        decision="no_action",
        next_check_date=TODAY + dt.timedelta(days=28),
    )
    saved = tracking_record.save(small, draft, TODAY)
    rec = small.get("case_tracking", saved.record["id"])
    assert (rec["child_id"], rec["plan_id"], rec["checked_visits"], rec["version"]) == (
        child,
        file.plan["id"],
        True,
        1,
    )
    assert ["insert"] == [a["action"] for a in small.audit("case_tracking", rec["id"])]
    assert "saved for " + child in saved.message
    reopened = child_file.open_child(small, child, NATIONAL, TODAY)
    assert rec["id"] in set(reopened.records()["id"])
    assert "Visits on time" in " ".join(reopened.chronology()["detail"])

    first = tracking_record.open_draft(rec)
    second = tracking_record.open_draft(rec)
    tracking_record.save(small, first.with_values(concerns="School attendance dipping."), TODAY)
    assert 2 == small.get("case_tracking", rec["id"])["version"]
    with pytest.raises(StaleVersionError, match="Nothing was saved"):
        tracking_record.save(small, second.with_values(observations="Overwritten?"), TODAY)
    now = small.get("case_tracking", rec["id"])
    assert (now["observations"], now["concerns"], now["version"]) == (
        "Visits on time; child seen alone.",
        "School attendance dipping.",
        2,
    )
    assert ["insert", "update"] == [a["action"] for a in small.audit("case_tracking", rec["id"])]


def test_an_amendment_may_keep_a_next_check_now_past(small):
    """An earlier record's next check may be before today; only a new one must not be."""
    old = next(
        r
        for r in small.rows("case_tracking")
        if r["kind"] == "case_tracking" and r["next_check_date"] and r["next_check_date"] < TODAY
    )
    draft = tracking_record.open_draft(old).with_values(concerns="Added later.")
    assert [] == [p for p in draft.problems(TODAY) if p.field == "next_check_date"]
    tracking_record.save(small, draft, TODAY)
    assert "Added later." == small.get("case_tracking", old["id"])["concerns"]


def test_download_report_asks_for_the_report_the_page_shows(demo_store):
    """A child open: their child summary; otherwise the chosen chair's caseload (every
    chair's without one); the page's date and standards either way, and a note wherever the
    report cannot follow the page."""
    sunderland = profiles.load("sunderland")
    day = dt.date(2026, 10, 1)
    name, params, notes = child_file.report_request(demo_store, sunderland, day, child_id="C000007")
    assert name == "child_summary" and notes == []
    assert (params["child"], params["as_of"], params["profile"]) == (
        "C000007",
        "2026-10-01",
        "sunderland",
    )
    assert params["db"].startswith("sqlite:///") and "chair" not in params
    name, params, notes = child_file.report_request(demo_store, NATIONAL, TODAY, chair_id=2)
    assert (name, params["chair"], params["profile"], notes) == (
        "chair_caseload",
        "2",
        "national",
        [],
    )
    _, params, notes = child_file.report_request(
        demo_store, NATIONAL, TODAY, team_id=1, filtered=True
    )
    assert params["chair"] is None
    assert any("every chair" in n for n in notes) and any("filters" in n for n in notes)
    amber = profiles.with_settings(NATIONAL, amber_window_wd=9)
    _, params, notes = child_file.report_request(demo_store, amber, TODAY, chair_id=2)
    assert params["profile"] == "national" and any("amber window" in n for n in notes)
