"""A caseload's frames: one pandas frame per kind of record, typed, every frame there.

A caseload can be the whole database, one chair's children, one team's, or a list of children
(a child view is the same engine on a one-child caseload). Related records follow their
children: a chair's caseload holds the conferences, reports and attendance of that chair's
children.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

from cptrack.caseload.columns import typed

# Record kinds a caseload holds, by the frame's name (the table name).
CHILD_KINDS = (
    "cin_episodes",
    "cin_plans",
    "strategy_discussions",
    "s47_enquiries",
    "cp_plans",
    "conferences",
    "core_groups",
    "visits",
    "plan_actions",
    "escalations",
    "case_tracking",
    "midway_reviews",
)
CONFERENCE_KINDS = ("attendance", "agency_reports", "conference_preparations", "feedback")


@dataclass
class Caseload:
    """Frames of one caseload. Every frame exists, possibly empty, with all its columns."""

    children: pd.DataFrame
    staff: pd.DataFrame
    teams: pd.DataFrame
    cin_episodes: pd.DataFrame
    cin_plans: pd.DataFrame
    strategy_discussions: pd.DataFrame
    s47_enquiries: pd.DataFrame
    cp_plans: pd.DataFrame
    conferences: pd.DataFrame
    attendance: pd.DataFrame
    agency_reports: pd.DataFrame
    conference_preparations: pd.DataFrame
    feedback: pd.DataFrame
    core_groups: pd.DataFrame
    visits: pd.DataFrame
    plan_actions: pd.DataFrame
    escalations: pd.DataFrame
    case_tracking: pd.DataFrame
    midway_reviews: pd.DataFrame

    @classmethod
    def empty(cls) -> Caseload:
        return cls(**{f.name: typed(f.name, pd.DataFrame()) for f in fields(cls)})

    @classmethod
    def from_frames(cls, **frames: pd.DataFrame | list[dict]) -> Caseload:
        """A caseload from hand-made frames or lists of dicts (tests, imports).

        Missing kinds are empty; missing columns are added as nulls; types are coerced as
        ``load`` would.
        """
        out = {}
        for f in fields(cls):
            given = frames.pop(f.name, None)
            frame = pd.DataFrame(given) if given is not None else pd.DataFrame()
            out[f.name] = typed(f.name, frame)
        if frames:
            raise TypeError(f"unknown caseload frames: {', '.join(sorted(frames))}")
        return cls(**out)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def for_children(self, child_ids) -> Caseload:
        """The part of this caseload about the given children (no database round trip)."""
        ids = set(child_ids)
        out: dict[str, pd.DataFrame] = {}
        for name, frame in self.frames().items():
            if name == "children":
                out[name] = frame[frame["id"].isin(ids)]
            elif name in CHILD_KINDS:
                out[name] = frame[frame["child_id"].isin(ids)]
            elif name in CONFERENCE_KINDS:
                conf_ids = set(out.get("conferences", self.conferences.iloc[0:0])["id"]) or set(
                    self.conferences.loc[self.conferences["child_id"].isin(ids), "id"]
                )
                out[name] = frame[frame["conference_id"].isin(conf_ids)]
            else:
                out[name] = frame
        return Caseload(**out)

    @property
    def size(self) -> int:
        return len(self.children)
