"""Feedback after a conference, loaded and summarised: by chair, by period, by question, and
whether feedback was sought at each conference. The questions are in
``cptrack.quality.questionnaires``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from cptrack.quality.questionnaires import POSITIVE, QUESTIONNAIRES
from cptrack.storage.store import Store
from cptrack.storage.tables import TABLES


@dataclass
class FeedbackFrames:
    """Conferences held in a period (one row per child's conference) and their feedback."""

    conferences: pd.DataFrame
    feedback: pd.DataFrame
    start: dt.date
    end: dt.date


def load(store: Store, start: dt.date, end: dt.date) -> FeedbackFrames:
    """Conferences held from ``start`` to ``end`` (inclusive), their chairs and feedback."""
    c, f, s = TABLES["conferences"], TABLES["feedback"], TABLES["staff"]
    held = sa.and_(
        c.c.held_date.is_not(None),
        c.c.held_date >= start,
        c.c.held_date <= end,
        c.c.stood_down.is_(False),
    )
    cq = (
        sa.select(
            c.c.id,
            c.c.child_id,
            c.c.meeting_ref,
            c.c.chair_id,
            s.c.name.label("chair"),
            c.c.type,
            c.c.held_date,
            c.c.feedback_sought,
        )
        .select_from(c.outerjoin(s, s.c.id == c.c.chair_id))
        .where(held)
        .order_by(c.c.held_date, c.c.id)
    )
    fq = (
        sa.select(f, c.c.chair_id, c.c.held_date)
        .select_from(f.join(c, c.c.id == f.c.conference_id))
        .where(held)
        .order_by(f.c.id)
    )
    with store.engine.connect() as conn:
        conferences = _frame(conn.execute(cq))
        feedback = _frame(conn.execute(fq))
    for frame in (conferences, feedback):
        frame["held_date"] = pd.to_datetime(frame["held_date"]).astype("datetime64[us]")
    feedback["date"] = pd.to_datetime(feedback["date"]).astype("datetime64[us]")
    conferences["meeting"] = conferences["meeting_ref"].where(
        conferences["meeting_ref"].notna(), "c" + conferences["id"].astype(str)
    )
    return FeedbackFrames(conferences, feedback, start, end)


def _frame(result) -> pd.DataFrame:
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _meetings(frames: FeedbackFrames) -> pd.DataFrame:
    """One row per meeting (siblings discussed together are one conference for feedback):
    chair, date, and whether feedback was sought (yes if for any child, unknown if none
    recorded)."""
    conf = frames.conferences
    if conf.empty:
        return pd.DataFrame(
            columns=["meeting", "chair_id", "chair", "held_date", "sought", "recorded"]
        )
    sought = conf["feedback_sought"].astype("boolean")
    g = conf.assign(sought=sought.fillna(False), recorded=sought.notna()).groupby(
        "meeting", sort=False
    )
    return g.agg(
        chair_id=("chair_id", "first"),
        chair=("chair", "first"),
        held_date=("held_date", "first"),
        sought=("sought", "any"),
        recorded=("recorded", "any"),
    ).reset_index()


def _responses(frames: FeedbackFrames) -> pd.DataFrame:
    fb = frames.feedback
    if fb.empty:
        return fb.assign(mean_score=pd.Series(dtype=float), positive=pd.Series(dtype=float))
    scores = fb["answers"].map(lambda a: list((a or {}).values()))
    mean = scores.map(lambda v: sum(v) / len(v) if v else float("nan"))
    positive = scores.map(lambda v: sum(x >= POSITIVE for x in v) / len(v) if v else float("nan"))
    return fb.assign(mean_score=mean, positive=positive)


SUMMARY_COLUMNS = [
    "conferences",
    "sought",
    "sought_pct",
    "not_recorded",
    "child",
    "parent",
    "professional",
    "declined_or_not_returned",
    "mean_score",
    "positive_pct",
]


def _summarise(meetings: pd.DataFrame, responses: pd.DataFrame, key: str) -> pd.DataFrame:
    m = meetings.groupby(key, dropna=False).agg(
        conferences=("meeting", "size"),
        sought=("sought", "sum"),
        not_recorded=("recorded", lambda r: int((~r.astype(bool)).sum())),
    )
    received = responses[responses["status"] == "received"]
    counts = (
        received.groupby([key, "respondent"], dropna=False).size().unstack(fill_value=0)
        if not received.empty
        else pd.DataFrame(index=m.index)
    )
    for who in ("child", "parent", "professional"):
        m[who] = counts[who].reindex(m.index).fillna(0).astype(int) if who in counts else 0
    missed = responses[responses["status"] != "received"].groupby(key, dropna=False).size()
    m["declined_or_not_returned"] = missed.reindex(m.index).fillna(0).astype(int)
    m["mean_score"] = received.groupby(key, dropna=False)["mean_score"].mean().reindex(m.index)
    m["positive_pct"] = (
        received.groupby(key, dropna=False)["positive"].mean().reindex(m.index) * 100
    )
    m["sought"] = m["sought"].astype(int)
    m["sought_pct"] = (m["sought"] / m["conferences"] * 100).where(m["conferences"] > 0)
    return m[SUMMARY_COLUMNS]


def summary_by_chair(frames: FeedbackFrames) -> pd.DataFrame:
    """Per chair: meetings held, feedback sought (and not recorded), responses received by
    child, parent and professional, declined or not returned, mean score (1-5) and the share
    of answers that agree (4 or 5)."""
    meetings = _meetings(frames)
    responses = _responses(frames)
    names = meetings.drop_duplicates("chair_id").set_index("chair_id")["chair"]
    out = _summarise(meetings, responses, "chair_id")
    out.insert(0, "chair", names.reindex(out.index).fillna("No chair recorded"))
    return out.reset_index().sort_values("chair", kind="stable").reset_index(drop=True)


def summary_by_period(frames: FeedbackFrames, freq: str = "Q") -> pd.DataFrame:
    """The same measures per quarter (``freq="Q"``) or month (``"M"``) of the conference."""
    meetings = _meetings(frames)
    responses = _responses(frames)
    meetings = meetings.assign(period=_period(meetings["held_date"], freq))
    responses = responses.assign(period=_period(responses["held_date"], freq))
    out = _summarise(meetings, responses, "period")
    return out.reset_index().sort_values("period").reset_index(drop=True)


def _period(dates: pd.Series, freq: str) -> pd.Series:
    dates = pd.to_datetime(dates)
    if dates.empty:
        return pd.Series([], dtype=str, index=dates.index)
    if freq == "M":
        return dates.dt.strftime("%Y-%m")
    return dates.dt.year.astype(str) + " Q" + dates.dt.quarter.astype(str)


def question_summary(frames: FeedbackFrames) -> pd.DataFrame:
    """Per respondent kind and question: answers received, mean score, share agreeing."""
    fb = frames.feedback
    received = fb[fb["status"] == "received"] if not fb.empty else fb
    rows = []
    for respondent, questionnaire in QUESTIONNAIRES.items():
        part = received[received["respondent"] == respondent] if not received.empty else received
        for q in questionnaire.questions:
            scores = [a[q.id] for a in part.get("answers", []) if a and q.id in a]
            rows.append(
                {
                    "respondent": str(respondent),
                    "question": q.id,
                    "text": q.text,
                    "answers": len(scores),
                    "mean_score": sum(scores) / len(scores) if scores else float("nan"),
                    "positive_pct": (
                        100 * sum(s >= POSITIVE for s in scores) / len(scores)
                        if scores
                        else float("nan")
                    ),
                }
            )
    return pd.DataFrame(rows)


def conferences_for_chair(frames: FeedbackFrames, chair_id: int | None) -> pd.DataFrame:
    """Each meeting a chair held in the period: date, whether feedback was sought, and the
    responses received (child, parent, professional)."""
    meetings = _meetings(frames)
    if chair_id is not None:
        meetings = meetings[meetings["chair_id"] == chair_id]
    conf = frames.conferences[["id", "meeting", "child_id", "type"]]
    children = conf.groupby("meeting", sort=False).agg(
        children=("child_id", lambda s: ", ".join(map(str, s))),
        type=("type", "first"),
        conference_ids=("id", list),
    )
    fb = frames.feedback
    by_conf = (
        fb[fb["status"] == "received"].groupby(["conference_id", "respondent"]).size()
        if not fb.empty
        else pd.Series(dtype=int)
    )
    out = meetings.merge(children, left_on="meeting", right_index=True, how="left")
    for who in ("child", "parent", "professional"):
        out[who] = [
            int(sum(by_conf.get((cid, who), 0) for cid in ids)) for ids in out["conference_ids"]
        ]
    return out.sort_values("held_date", ascending=False).reset_index(drop=True)
