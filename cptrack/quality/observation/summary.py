"""Practice observations as frames, and what the Case Audit Management meeting looks at.

``load`` reads the observations (one row each) and their ratings (one row per criterion
rated). The summaries are plain functions over those frames: observations per chair and
period, ratings by domain (the heat map), each chair's trend, the criteria most often below
Good across the service, and the chairs not observed within the interval.

Scores: Outstanding 4, Good 3, Requires improvement to be good 2, Inadequate 1. "Not
observed" is left out of every mean and count. A domain's grade is the mean of its
criteria's scores rounded to the nearest grade (``grade_for_score``); the count of ratings
below Good is kept beside it so a single Inadequate never disappears into an average.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from cptrack.domain.models import ObservationStatus
from cptrack.quality.observation.framework import Framework
from cptrack.quality.observation.scale import BELOW_GOOD, GRADE
from cptrack.rules.workdays import add_months
from cptrack.storage.store import Store
from cptrack.storage.tables import TABLES

OBSERVATION_COLUMNS = [
    "id",
    "version",
    "chair_id",
    "chair",
    "observer_id",
    "observer",
    "conference_id",
    "date",
    "framework",
    "overall_judgement",
    "overall_score",
    "status",
]
RATING_COLUMNS = [
    "observation_id",
    "chair_id",
    "date",
    "criterion",
    "domain",
    "rating",
    "score",
    "evidence",
]


@dataclass
class Observations:
    observations: pd.DataFrame
    ratings: pd.DataFrame

    def between(self, start: dt.date | None, end: dt.date | None) -> Observations:
        """The observations dated from ``start`` to ``end`` (inclusive), and their ratings."""
        obs = self.observations
        keep = pd.Series(True, index=obs.index)
        if start is not None:
            keep &= obs["date"] >= pd.Timestamp(start)
        if end is not None:
            keep &= obs["date"] <= pd.Timestamp(end)
        obs = obs[keep]
        return Observations(obs, self.ratings[self.ratings["observation_id"].isin(obs["id"])])


def load(store: Store, include_drafts: bool = False) -> Observations:
    """Every observation (drafts only when asked) with chair and observer names, and the
    ratings of each, as typed frames."""
    o, s = TABLES["observations"], TABLES["staff"]
    chair, observer = s.alias("chair"), s.alias("observer")
    q = (
        sa.select(o, chair.c.name.label("chair"), observer.c.name.label("observer"))
        .select_from(
            o.join(chair, chair.c.id == o.c.chair_id).outerjoin(
                observer, observer.c.id == o.c.observer_id
            )
        )
        .order_by(o.c.date, o.c.id)
    )
    if not include_drafts:
        q = q.where(o.c.status != ObservationStatus.DRAFT.value)
    with store.engine.connect() as conn:
        result = conn.execute(q)
        raw = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    return from_rows(raw)


def from_rows(raw: pd.DataFrame) -> Observations:
    """Frames from observation rows (as stored, with ``chair`` and ``observer`` names)."""
    if raw.empty:
        raw = pd.DataFrame(columns=[*OBSERVATION_COLUMNS, "ratings"])
    raw = raw.reset_index(drop=True)
    obs = pd.DataFrame(
        {
            "id": raw["id"].astype("int64"),
            "version": raw["version"].astype("int64"),
            "chair_id": raw["chair_id"].astype("int64"),
            "chair": raw["chair"].astype(object),
            "observer_id": raw["observer_id"].astype("Int64"),
            "observer": raw["observer"].astype(object),
            "conference_id": raw["conference_id"].astype("Int64"),
            "date": pd.to_datetime(raw["date"]).astype("datetime64[us]"),
            "framework": raw["framework"].astype(object),
            "overall_judgement": raw["overall_judgement"].astype(object),
            "status": raw["status"].astype(object),
        }
    )
    obs["overall_score"] = obs["overall_judgement"].map(_score).astype(float)
    obs = obs[OBSERVATION_COLUMNS]
    rows = [
        (oid, chair_id, date, r["criterion"], r.get("domain"), r["rating"], r.get("evidence"))
        for oid, chair_id, date, ratings in zip(
            obs["id"], obs["chair_id"], obs["date"], raw["ratings"], strict=True
        )
        for r in (ratings or [])
    ]
    ratings = pd.DataFrame(
        rows,
        columns=["observation_id", "chair_id", "date", "criterion", "domain", "rating", "evidence"],
    )
    ratings["date"] = pd.to_datetime(ratings["date"]).astype("datetime64[us]")
    ratings["score"] = ratings["rating"].map(_score).astype(float)
    return Observations(obs, ratings[RATING_COLUMNS])


def _score(rating) -> float:
    grade = GRADE.get(rating) if rating is not None else None
    return float(grade.score) if grade is not None and grade.score > 0 else np.nan


def _with_domains(ratings: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Ratings with the framework's domain for each criterion (the stored domain when the
    framework no longer has the criterion), observed ratings only."""
    known = {c.id: c.domain for c in framework.criteria}
    domain = ratings["criterion"].map(known)
    ratings = ratings.assign(domain=domain.where(domain.notna(), ratings["domain"]))
    return ratings[ratings["score"].notna()]


# ---------------------------------------------------------------------------
# The summaries


def per_chair_and_period(obs: Observations, chairs: pd.DataFrame, freq: str = "Q") -> pd.DataFrame:
    """Observations per chair (rows, every chair listed) and period (columns: quarters such
    as "2026 Q3", or months with ``freq="M"``), with a total."""
    o = obs.observations
    periods = _period(o["date"], freq)
    table = pd.crosstab(o["chair_id"], periods) if not o.empty else pd.DataFrame()
    table = table.reindex(chairs["id"], fill_value=0)
    table.index = chairs["name"].to_list()
    table.index.name = "chair"
    table.columns.name = None
    table["Total"] = table.sum(axis=1)
    return table.astype(int)


def _period(dates: pd.Series, freq: str) -> pd.Series:
    if freq == "M":
        return dates.dt.strftime("%Y-%m")
    return dates.dt.year.astype(str) + " Q" + dates.dt.quarter.astype(str)


@dataclass
class HeatMap:
    """Rows (chairs or observations) by domains: mean score, ratings and ratings below Good.

    ``rows`` describes each row (``label``, and for observations ``date``, ``status``,
    ``overall_judgement``); the three frames share its index and the domain columns.
    """

    rows: pd.DataFrame
    mean: pd.DataFrame
    rated: pd.DataFrame
    below_good: pd.DataFrame
    domains: list[tuple[str, str]]  # (id, title), in framework order


def domain_heatmap(obs: Observations, framework: Framework, by: str = "chair") -> HeatMap:
    """Ratings by domain, one row per chair (``by="chair"``: every observation of the
    chair in ``obs``) or per observation (``by="observation"``)."""
    ratings = _with_domains(obs.ratings, framework)
    domain_ids = [d.id for d in framework.domains]
    extra = sorted(set(ratings["domain"].dropna()) - set(domain_ids))
    domains = [(d.id, d.title) for d in framework.domains] + [(d, d) for d in extra]
    ids = [d for d, _ in domains]
    o = obs.observations
    if by == "chair":
        key = "chair_id"
        rows = (
            o.groupby("chair_id")
            .agg(label=("chair", "first"), observations=("id", "size"), last=("date", "max"))
            .sort_values("label")
        )
    elif by == "observation":
        key = "observation_id"
        rows = o.set_index("id")[["chair", "date", "status", "overall_judgement", "observer"]]
        rows = rows.assign(label=rows["chair"]).sort_values(
            ["date", "chair"], ascending=[False, True]
        )
    else:
        raise ValueError(f"by must be 'chair' or 'observation', not {by!r}")
    ratings = ratings.assign(below=ratings["rating"].isin(BELOW_GOOD))
    g = ratings.groupby([key, "domain"])
    mean = g["score"].mean().unstack().reindex(index=rows.index, columns=ids)
    rated = g.size().unstack().reindex(index=rows.index, columns=ids).fillna(0).astype(int)
    below = g["below"].sum().unstack().reindex(index=rows.index, columns=ids).fillna(0).astype(int)
    return HeatMap(rows, mean, rated, below, domains)


def trend(obs: Observations, framework: Framework, chair_id: int) -> pd.DataFrame:
    """One chair's observations in date order: the overall judgement's score and the mean
    score of each domain (columns by domain id)."""
    o = obs.observations[obs.observations["chair_id"] == chair_id].sort_values(["date", "id"])
    ratings = _with_domains(obs.ratings[obs.ratings["chair_id"] == chair_id], framework)
    means = ratings.groupby(["observation_id", "domain"])["score"].mean().unstack()
    out = o[["id", "date", "overall_judgement", "overall_score", "status"]].set_index("id")
    out = out.join(means.reindex(columns=[d.id for d in framework.domains]))
    return out.reset_index()


def below_good(obs: Observations, framework: Framework, top: int | None = 10) -> pd.DataFrame:
    """Criteria most often rated below Good (Requires improvement or Inadequate) across the
    service: times rated, times below Good and the share, most often first."""
    ratings = _with_domains(obs.ratings, framework)
    if ratings.empty:
        return pd.DataFrame(
            columns=["criterion", "domain", "text", "rated", "below_good", "share", "inadequate"]
        )
    g = ratings.assign(
        below=ratings["rating"].isin(BELOW_GOOD), inadequate=ratings["rating"] == "inadequate"
    ).groupby("criterion")
    out = pd.DataFrame(
        {"rated": g.size(), "below_good": g["below"].sum(), "inadequate": g["inadequate"].sum()}
    )
    out = out[out["below_good"] > 0]
    out["share"] = out["below_good"] / out["rated"]
    texts = {c.id: (c.domain, c.text) for c in framework.criteria}
    out["domain"] = [texts.get(c, ("", ""))[0] for c in out.index]
    out["text"] = [texts.get(c, ("", c))[1] for c in out.index]
    out = out.reset_index().sort_values(
        ["below_good", "share", "criterion"], ascending=[False, False, True]
    )
    out = out[["criterion", "domain", "text", "rated", "below_good", "share", "inadequate"]]
    return (out.head(top) if top else out).reset_index(drop=True)


def not_observed_within(
    obs: Observations, chairs: pd.DataFrame, as_of: dt.date, months: int
) -> pd.DataFrame:
    """Every chair with the date (and overall judgement) of their last observation
    (submitted or complete) and whether it is older than ``months`` months before ``as_of`` (or there is none): the
    chairs to observe next, longest waiting first."""
    if months < 1:
        raise ValueError("the interval is at least 1 month")
    cutoff = pd.Timestamp(add_months(as_of, -months))
    latest = obs.observations.sort_values(["date", "id"]).groupby("chair_id").last()
    out = chairs[["id", "name"]].rename(columns={"id": "chair_id", "name": "chair"}).copy()
    out["last_observed"] = out["chair_id"].map(latest["date"]).astype("datetime64[us]")
    out["last_judgement"] = out["chair_id"].map(latest["overall_judgement"]).astype(object)
    out["months_since"] = out["last_observed"].map(
        lambda d: np.nan if pd.isna(d) else _months_between(d.date(), as_of)
    )
    out["overdue"] = out["last_observed"].isna() | (out["last_observed"] < cutoff)
    out["cutoff"] = cutoff
    return out.sort_values(
        ["overdue", "last_observed", "chair"], ascending=[False, True, True], na_position="first"
    ).reset_index(drop=True)


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)
