"""Who the synthetic caseload is about and who works it, made once for every chunk.

``DemoConfig`` is the demo's size, seed and date; ``make_people`` makes the staff and teams
(chairs, QA leads, a manager, social work teams), the authority's settings, and pools of
invented names and addresses (Faker's ``en_GB`` locale) the chunks draw children from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from cptrack.demo.draws import FastRandom


@dataclass
class DemoConfig:
    children: int = 120
    seed: int = 1
    as_of: dt.date = field(default_factory=dt.date.today)

    @property
    def chairs(self) -> int:
        return max(4, round(self.children / 80))


@dataclass
class People:
    """Staff, teams and pools of invented names: made once, shared by every chunk."""

    rows: dict[str, list[dict]]
    chairs: list[int]
    chair_weights: list[float]
    sw_teams: list[int]
    social_workers: list[str]
    boys: list[str]
    girls: list[str]
    surnames: list[str]
    places: list[tuple[str, str]]
    qa_leads: list[int] = field(default_factory=list)


def make_people(cfg: DemoConfig) -> People:
    rng = FastRandom(cfg.seed)
    fake = Faker("en_GB")
    fake.seed_instance(cfg.seed)
    rows: dict[str, list[dict]] = {"teams": [], "staff": [], "settings": []}

    def add(table: str, **row: Any) -> int:
        row.setdefault("id", len(rows[table]) + 1)
        rows[table].append(row)
        return row["id"]

    n_chairs = cfg.chairs
    n_review_teams = max(1, (n_chairs + 7) // 8)
    areas = ("North", "South", "East", "West", "Central", "Coast", "Vale", "City")
    review_teams = [
        add(
            "teams",
            name=f"Safeguarding & Reviewing {areas[i % 8]}" + (f" {i // 8 + 1}" if i >= 8 else ""),
            kind="reviewing",
        )
        for i in range(n_review_teams)
    ]
    sw_teams = [
        add("teams", name=f"Children's Social Work Team {i + 1}", kind="social_work")
        for i in range(max(3, cfg.children // 150))
    ]
    chairs = [
        add("staff", name=fake.name(), role="chair", team_id=review_teams[i % n_review_teams])
        for i in range(n_chairs)
    ]
    qa_leads = [
        add("staff", name=fake.name(), role="qa_lead", team_id=team) for team in review_teams
    ]
    add("staff", name=fake.name(), role="manager", team_id=review_teams[0])
    add("settings", id="authority_name", value="Demo Borough Council (synthetic data)")
    add("settings", id="profile", value="national")
    # Pools of invented names and places, drawn from Faker once: Faker is too slow to call
    # for every one of 50,000 children.
    pool = max(200, min(cfg.children, 3000))
    return People(
        rows=rows,
        chairs=chairs,
        chair_weights=[rng.uniform(0.7, 1.3) for _ in chairs],  # unequal caseloads
        sw_teams=sw_teams,
        social_workers=[fake.name() for _ in range(max(6, cfg.children // 20))],
        boys=[fake.first_name_male() for _ in range(pool)],
        girls=[fake.first_name_female() for _ in range(pool)],
        surnames=[fake.last_name() for _ in range(pool)],
        places=[
            (fake.street_address().replace("\n", ", ") + ", " + fake.city(), fake.postcode())
            for _ in range(pool)
        ],
        qa_leads=qa_leads,
    )
