"""A synthetic caseload for demonstration, tests and benchmarks.

Everything here is invented: names and addresses come from Faker's ``en_GB`` locale, and
no record describes a real person. The caseload is deterministic: the same ``seed`` and
``as_of`` date give the same data, row for row.

It is built to look like a real conference service's caseload, so that every check has
something to find: children awaiting an initial conference (some past 15 working days),
new plans, plans at their 2nd, 3rd and 4th review, plans over two years, ended plans,
repeat plans (with the earlier plan's own history), pre-birth plans and sibling groups
sharing conferences, with full histories of strategy discussions, conferences, reports,
attendance, core groups, visits, actions, case-tracking records, midway reviews and
escalations. Its shares are England's: the DfE measures (repeat plans, plans of 2 years or
more, ICPCs within 15 working days) land within a few points of the published figures; most
things happen on time, and each late conference, visit, core group or escalation reply has
its reason recorded; plan actions not done by the next conference are closed there or
carried into the new plan.
"""

from __future__ import annotations

import bisect
import datetime as dt
import multiprocessing
import os
import random
import tempfile
from calendar import monthrange
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from faker import Faker

from cptrack.demo import events as demo_events
from cptrack.demo import qa as demo_qa
from cptrack.domain.models import Agency, ConferenceType, today
from cptrack.rules import workdays
from cptrack.storage.store import Columns, Copy, Store, prepare

# Shares of families at each stage, per 100 families. Families are dealt from shuffled decks
# of 100 with the families awaiting an initial conference spread evenly through each deck,
# so any stretch of the caseload has its share: new enquiries arrive every week.
STAGES = {
    "awaiting_icpc": 7,
    "no_plan": 6,
    "open": 65,
    "ended": 17,
    "pre_birth": 5,
}
# The review conference at which a plan ends (1 = the first review, 3 months after the plan
# starts; each later one 6 months on), per 1,000 plans ending. Plans ending at the 5th review
# or later have lasted 2 years or more: 4.4%, as in England (DOMAIN.md §3). Open plans are
# drawn from the same lengths, weighted by length (a long plan is open for longer), which
# puts about 2% of open plans past 2 years (England: 2.3%).
PLAN_ENDS_AT_REVIEW = ((1, 200), (2, 390), (3, 220), (4, 146), (5, 30), (6, 10), (7, 4))
# Working days from the strategy discussion to the initial conference, per 100 conferences:
# 81% within 15 working days, median 14, as in England (DOMAIN.md §3). The first five ranges
# end by day 14, the sixth is day 15, the last three are late.
ICPC_WORKING_DAYS = (
    ((5, 10), 22),
    ((11, 11), 4),
    ((12, 12), 5),
    ((13, 13), 9),
    ((14, 14), 16),
    ((15, 15), 25),
    ((16, 20), 12),
    ((21, 30), 5),
    ((31, 45), 2),
)
# Of the plans starting, the share that are a second or subsequent plan (England: 24.5%).
# Unborn children have none, and some children's earlier plans here also started in the
# last year, so the families on a plan now are given a little more.
REPEAT_SHARE = 0.26
REVIEW_LATE_SHARE = 0.07
# Steps of the low-discrepancy sequences (``_Generator.spread``): irrational and unrelated,
# so the draws of one sequence do not follow another's.
SPREAD_STEPS = {
    "open": 0.6180339887,
    "part": 0.4142135624,
    "ended": 0.7320508076,
    "ended when": 0.2360679775,
    "earlier": 0.5857864376,
}
CATEGORIES = (("NEG", 48), ("EMO", 36), ("PHY", 7), ("SAB", 4), ("MUL", 5))
ETHNICITIES = (
    ("WBRI", 68),
    ("WOTH", 6),
    ("MWBC", 4),
    ("MOTH", 3),
    ("APKN", 3),
    ("AIND", 2),
    ("BAFR", 3),
    ("BCRB", 1),
    ("AOTH", 2),
    ("WROM", 1),
    ("OOTH", 2),
    ("NOBT", 5),
)
LANGUAGES = ("Polish", "Urdu", "Romanian", "Arabic", "Bengali", "Somali", "Portuguese")
LATE_REASONS = (
    "Family asked for a later date to attend with their advocate",
    "No chair available within timescale",
    "Key reports not received; conference rearranged",
    "Interpreter not available on the first date",
    "Strategy discussion recorded late; request for conference received on day 12",
    "Venue unavailable; family declined a virtual meeting",
)
HOLDING_REPLY = (
    "Holding reply: the team manager is reviewing the case with the service manager and will "
    "respond in full within a week."
)
STAND_DOWN_REASONS = (
    "Social worker's report not available",
    "Not quorate: police and health did not attend",
    "Parent unwell on the day; chair agreed to reconvene",
)
WORRIES = (
    "Home conditions are poor and the children are often hungry at school.",
    "Domestic abuse between the adults; the children have witnessed incidents.",
    "Parental alcohol misuse affects the care the children receive.",
    "Bruising to the child's arm with no consistent explanation.",
    "Mother's mental health has deteriorated and she is not taking medication.",
)
WORKING_WELL = (
    "Grandmother visits daily and the children are close to her.",
    "The children attend school regularly and are doing well.",
    "Father has engaged with the substance misuse service.",
    "Mother has attended every core group and is honest about the worries.",
)
SAFETY_GOALS = (
    "The children will live in a home free from violence, with adults who keep them safe.",
    "The children will be fed, clean and in school every day.",
    "The adults caring for the baby will be sober and able to respond to her needs.",
)
CONTINGENCY = (
    "If the safety plan breaks down the social worker will seek legal advice (PLO).",
    "If father returns to the home, a strategy discussion will be held the same day.",
    "If attendance at school falls below 90% the core group will meet within 5 days.",
)
AGENCIES_UNBORN = (Agency.SOCIAL_CARE, Agency.POLICE, Agency.MIDWIFE, Agency.GP)
AGENCIES_BABY = (Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH_VISITOR, Agency.GP)
AGENCIES_TODDLER = (Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH_VISITOR, Agency.EARLY_YEARS)
AGENCIES_SCHOOL = (Agency.SOCIAL_CARE, Agency.POLICE, Agency.SCHOOL, Agency.SCHOOL_NURSE)
AGENCIES_EXTRA = (
    Agency.PROBATION,
    Agency.MENTAL_HEALTH,
    Agency.SUBSTANCE_MISUSE,
    Agency.HOUSING,
)
OBSERVATIONS = (
    "Core groups held as planned; visits on time; children seen alone.",
    "One core group cancelled; rearranged within two weeks. Actions progressing.",
    "Visits have slipped to three-weekly; advised social worker to restore frequency.",
    "Reports for the review not yet received from health; chased.",
)


CHUNK_CHILDREN = 5000


@dataclass
class DemoConfig:
    children: int = 120
    seed: int = 1
    as_of: dt.date = field(default_factory=dt.date.today)

    @property
    def chairs(self) -> int:
        return max(4, round(self.children / 80))


class _Days:
    """Fast working-day steps over ordinal day numbers, for generating many dates."""

    def __init__(self, first: dt.date, last: dt.date):
        holidays = {d.astype(dt.date).toordinal() for d in workdays.bank_holidays()}
        self.days = [
            o
            for o in range(first.toordinal(), last.toordinal() + 1)
            if dt.date.fromordinal(o).weekday() < 5 and o not in holidays
        ]

    def add(self, day: int, n: int) -> int:
        """The nth working day after ``day`` (``workdays.add_working_days`` rules)."""
        i = bisect.bisect_right(self.days, day) - 1  # day itself, or the working day before
        return self.days[i + n]

    def index(self, day: int) -> int:
        """The position of ``day`` (or the working day before it) among the working days."""
        return bisect.bisect_right(self.days, day) - 1

    def roll(self, day: int) -> int:
        """``day`` if a working day, else the next working day."""
        return self.days[bisect.bisect_left(self.days, day)]


def _months(day: int, n: int) -> int:
    """``workdays.add_months`` on ordinals, without pandas (called ~100,000 times)."""
    d = dt.date.fromordinal(day)
    month0 = d.month - 1 + n
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(d.day, monthrange(year, month)[1])).toordinal()


def _plan_months(review: int) -> int:
    """Months from the start of a plan to its nth review: 3, then 6 more for each."""
    return 3 + 6 * (review - 1)


VENUE_NAMES = (
    "Civic Centre, Committee Room 2",
    "Family Centre, Meeting Room 1",
    "Children's Services, Riverside House",
    "Community Hub, Room 4",
)


def _d(day: int | None) -> dt.date | None:
    return None if day is None else dt.date.fromordinal(day)


class _Random(random.Random):
    """``random.Random`` with cheaper ``randint`` and ``choice`` (millions of calls)."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


def _pick(rng: random.Random, weighted) -> Any:
    """One item from ``(item, weight)`` pairs, in proportion to the weights."""
    weighted = tuple(weighted)
    x = rng.random() * sum(w for _, w in weighted)
    for item, weight in weighted:
        x -= weight
        if x < 0:
            return item
    return weighted[-1][0]


@dataclass
class _People:
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


def _people(cfg: DemoConfig) -> _People:
    rng = _Random(cfg.seed)
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
    return _People(
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


class _Generator:
    """Makes one chunk of the caseload: the children numbered ``first`` + 1 to ``last``.

    A chunk depends only on the seed, its number and the shared people, so chunks can be
    made in any order or in parallel; ids are local to the chunk (from 1) and renumbered
    as the chunks are put together (``_renumber``).
    """

    def __init__(self, cfg: DemoConfig, people: _People, chunk_no: int):
        self.cfg = cfg
        self.chunk_no = chunk_no
        self.rng = _Random(cfg.seed * 1_000_003 + chunk_no)
        self.random = self.rng.random
        p = people
        self.chairs, self.chair_weights, self.sw_teams = p.chairs, p.chair_weights, p.sw_teams
        self.social_workers, self.surnames, self.places = p.social_workers, p.surnames, p.places
        self.boys, self.girls = p.boys, p.girls
        self.qa_leads = p.qa_leads
        self.today = cfg.as_of.toordinal()
        self.days = _Days(
            cfg.as_of - dt.timedelta(days=365 * 8), cfg.as_of + dt.timedelta(days=400)
        )
        self.balance: dict[Any, float] = {}
        self.spreads: dict[str, float] = {}
        self.rows: dict[str, list[dict]] = {}
        self.ids: dict[str, int] = {}
        self.children_by_id: dict[str, dict] = {}
        self.specs: dict[str, list[tuple]] = {
            k: [] for k in ("visits", "core_groups", "reports", "attendance", "actions")
        }

    # -- bookkeeping -------------------------------------------------------

    def row(self, table: str, row_id: int) -> dict:
        """A row generated earlier in this chunk, by its (local) id."""
        return self.rows[table][row_id - 1]

    def add(self, table: str, /, **row: Any) -> int:
        if "id" not in row:
            self.ids[table] = self.ids.get(table, 0) + 1
            row["id"] = self.ids[table]
        self.rows.setdefault(table, []).append(row)
        return row["id"]

    def chance(self, p: float) -> bool:
        return self.random() < p

    # -- the caseload ------------------------------------------------------

    def run(self, first: int, last: int) -> dict[str, list[dict] | pd.DataFrame]:
        """Families until children ``first`` + 1 to ``last`` exist; the last family is cut
        short at the end of the chunk."""
        n = first
        deck: list[str] = []
        while n < last:
            size = _pick(self.rng, ((1, 45), (2, 30), (3, 17), (4, 8)))
            deck = deck or self.deck()
            stage = deck.pop()
            if stage == "pre_birth":
                size = 1
            size = min(size, last - n)
            self.family(size, stage, n)
            n += size
        rows = {**self.rows, **self.events()}
        n_chunks = -(-self.cfg.children // CHUNK_CHILDREN)
        rows.update(
            demo_qa.generate(
                self.cfg.seed,
                self.cfg.as_of,
                self.chunk_no,
                n_chunks,
                self.chairs,
                self.qa_leads,
                rows,
            )
        )
        return rows

    def deck(self) -> list[str]:
        """The stages of the next 100 families (dealt from the end): shuffled, with the
        families awaiting an initial conference at even intervals."""
        others = [s for s, w in STAGES.items() if s != "awaiting_icpc" for _ in range(w)]
        self.rng.shuffle(others)
        n = STAGES["awaiting_icpc"]
        step = len(others) / n
        offset = self.random() * step
        for k in reversed(range(n)):
            others.insert(int(offset + k * step), "awaiting_icpc")
        return others

    def spread(self, name: str, weighted) -> Any:
        """One item from ``(item, weight)`` pairs, like ``_pick``, but drawn along a
        low-discrepancy sequence (one per ``name``, from a random start): successive draws
        cover the weights evenly, so even a small caseload holds its share of rare items
        (plans past 2 years)."""
        if name not in self.spreads:
            self.spreads[name] = self.random()
        u = self.spreads[name] = (self.spreads[name] + SPREAD_STEPS[name]) % 1
        weighted = tuple(weighted)
        x = u * sum(w for _, w in weighted)
        for item, weight in weighted:
            x -= weight
            if x < 0:
                return item
        return weighted[-1][0]

    def icpc_working_days(self, key: Any, children: int) -> int:
        """Working days from a strategy discussion to its initial conference, for a family
        of ``children``: past 15, and within 14, each for a balanced share of children (see
        ``balanced``), so the share in time and the median hold in a small caseload."""

        def share(ranges) -> float:
            return sum(w for r, w in ranges) / 100

        late = self.balanced(("icpc late", key), share(ICPC_WORKING_DAYS[-3:]), children)
        if late:
            ranges = ICPC_WORKING_DAYS[-3:]
        else:
            by_14 = share(ICPC_WORKING_DAYS[:5]) / share(ICPC_WORKING_DAYS[:6])
            early = self.balanced(("icpc by 14", key), by_14, children)
            ranges = ICPC_WORKING_DAYS[:5] if early else ICPC_WORKING_DAYS[5:6]
        lo, hi = _pick(self.rng, ranges)
        return self.rng.randint(lo, hi)

    def balanced(self, key: Any, share: float, children: int) -> bool:
        """Whether the next family, of ``children``, is one of ``share`` of the children,
        kept close along the way by carrying the difference so far to the next family (one
        running difference per ``key``, from a random start). Keyed by whether a plan
        started in the last year, even the DfE measures of a small caseload come near the
        shares."""
        if key not in self.balance:
            self.balance[key] = self.random() - 0.5
        carried = self.balance[key] + share * children
        yes = carried >= children / 2
        self.balance[key] = carried - children * yes
        return yes

    def family(self, size: int, stage: str, first_index: int) -> None:
        rng, today = self.rng, self.today
        family_name = rng.choice(self.surnames)
        address, postcode = rng.choice(self.places)
        family_id = f"F{first_index + 1:06d}"  # the number of its first child
        chair = rng.choices(self.chairs, self.chair_weights)[0]
        team = rng.choice(self.sw_teams)
        social_worker = rng.choice(self.social_workers)
        language = "English" if self.chance(0.88) else rng.choice(LANGUAGES)
        interpreter = language != "English" and self.chance(0.6)
        parent_ld = self.chance(0.07)
        ethnicity = _pick(rng, ETHNICITIES)

        # Dates that shape the whole history, as day ordinals: the initial conference (held,
        # or for an enquiry still awaiting one, the day it will be held), and the strategy
        # discussion that started the enquiry, working days before it.
        days = self.days
        end_at = None  # the review at which the plan ends (None: it is still open)
        if stage == "awaiting_icpc":
            # Part way through the enquiry: longer waits are more often seen part way.
            lateness = self.icpc_working_days("awaiting", size)
            strategy = days.add(today, -rng.randint(0, lateness - 1))
            icpc = days.add(strategy, lateness)
        else:
            if stage == "no_plan":
                icpc = today - rng.randint(20, 360)
            elif stage == "open":
                # An open plan part way through its length; long plans are open for longer.
                k = self.spread("open", ((k, w * _plan_months(k)) for k, w in PLAN_ENDS_AT_REVIEW))
                part = self.spread("part", ((x / 100, 1) for x in range(100)))
                icpc = today - max(1, int((part + self.random() / 100) * _plan_months(k) * 30.44))
            elif stage == "ended":
                end_at = self.spread("ended", PLAN_ENDS_AT_REVIEW)
                ago = self.spread("ended when", ((x, 1) for x in range(10, 700)))
                icpc = _months(today - ago, -_plan_months(end_at))
            else:  # pre_birth: conference before the expected date of delivery
                icpc = today - rng.randint(15, 200)
            icpc = days.add(icpc, 0)
            recent = icpc > today - 365
            lateness = self.icpc_working_days(recent, size)
            strategy = days.add(icpc, -lateness)

        children = []
        for k in range(size):
            index = first_index + k + 1
            child_id = f"C{index:06d}"
            sex = rng.choice("MF")
            if stage == "pre_birth":
                edd = strategy + rng.randint(60, 150)
                dob = edd + rng.randint(-14, 7) if edd + 7 < today else None
                sex = rng.choice("MF") if dob else "U"
            else:
                age_days = int(rng.triangular(40, 17 * 365, 3 * 365))
                dob = strategy - age_days - k * rng.randint(300, 900)
                dob = max(dob, strategy - 17 * 365)
                edd = None
            given = rng.choice(self.boys) if sex == "M" else rng.choice(self.girls)
            if sex == "U":
                given = "Baby"
            self.add(
                "children",
                id=child_id,
                given_name=given,
                family_name=family_name if self.chance(0.85) else rng.choice(self.surnames),
                date_of_birth=_d(dob),
                expected_date_of_delivery=_d(edd),
                sex=sex,
                ethnicity=ethnicity,
                disability=self.chance(0.08),
                first_language=language,
                interpreter_needed=interpreter,
                parent_learning_disability=parent_ld,
                address=address,
                postcode=postcode,
                family_id=family_id,
                team_id=team,
                chair_id=chair,
                social_worker=social_worker,
            )
            self.children_by_id[child_id] = self.rows["children"][-1]
            children.append((child_id, dob, edd))

        previous = 0
        if stage in ("open", "ended") and self.balanced(("repeat", recent), REPEAT_SHARE, size):
            previous = 1 + int(self.chance(0.25))
            if self.chance(0.5):
                # An earlier plan here, with a history of its own, ended before this enquiry
                # (for the children born by then).
                old_end_at = self.spread("earlier", PLAN_ENDS_AT_REVIEW)
                old_icpc = days.add(
                    _months(strategy - rng.randint(60, 400), -_plan_months(old_end_at)), 0
                )
                earlier = [c for c in children if c[1] is not None and c[1] < old_icpc - 30]
                if earlier and old_icpc - 200 > days.days[0]:
                    old_strategy = days.add(old_icpc, -self.icpc_working_days("earlier", 1))
                    self.episode(
                        earlier,
                        "ended",
                        old_strategy,
                        old_icpc,
                        old_end_at,
                        chair,
                        previous - 1,
                        family_id.replace("F", "P"),
                    )
        self.episode(
            children, stage, strategy, icpc, end_at, chair, previous, family_id.replace("F", "M")
        )

    def episode(self, children, stage, strategy, icpc, end_at, chair, previous, meeting) -> None:
        rng, today, days = self.rng, self.today, self.days

        referral = strategy - rng.randint(0, 20)
        ep_ids = {
            c: self.add("cin_episodes", child_id=c, referral_date=_d(referral))
            for c, _, _ in children
        }
        if self.chance(0.2):
            first = days.add(strategy, -rng.randint(2, 6))
            for c, _, _ in children:
                self.add(
                    "strategy_discussions",
                    child_id=c,
                    date=_d(first),
                    s47_initiated=False,
                    agencies="Police, social care, health",
                )
        s47 = {}
        for c, _, _ in children:
            sd = self.add(
                "strategy_discussions",
                child_id=c,
                date=_d(strategy),
                s47_initiated=True,
                agencies="Police, social care, health",
            )
            s47[c] = self.add(
                "s47_enquiries",
                child_id=c,
                episode_id=ep_ids[c],
                strategy_discussion_id=sd,
                start_date=_d(strategy),
                icpc_target=_d(days.add(strategy, 15)),
            )

        # The initial conference.
        conf_type = ConferenceType.PRE_BIRTH if stage == "pre_birth" else ConferenceType.INITIAL
        if stage == "open" and self.chance(0.03):
            # The child arrives on another authority's plan: the transfer-in conference
            # takes the place of an initial conference, so the enquiry needs none.
            conf_type = ConferenceType.TRANSFER_IN
            for c, _, _ in children:
                self.row("s47_enquiries", s47[c])["icpc_not_required"] = True
                s47[c] = None
        late = days.index(icpc) - days.index(strategy) > 15
        reason = rng.choice(LATE_REASONS) if late else None
        if stage == "awaiting_icpc":
            # Not yet held: booked (after the due date only for a reason recorded), or,
            # in the first days of the enquiry, not booked yet.
            if days.index(today) - days.index(strategy) < 3 and self.chance(0.4):
                return
            for c, _, _ in children:
                self.conference(
                    c,
                    ConferenceType.INITIAL,
                    icpc,
                    None,
                    chair,
                    s47_id=s47[c],
                    meeting=f"{meeting}-1",
                    upcoming=True,
                    late_reason=reason,
                )
            return
        category = _pick(rng, CATEGORIES)
        if stage == "no_plan":
            outcome = "cin_plan" if self.chance(0.7) else "nfa"
            for c, _, _ in children:
                self.conference(
                    c,
                    conf_type,
                    icpc,
                    icpc,
                    chair,
                    s47_id=s47[c],
                    outcome=outcome,
                    meeting=f"{meeting}-1",
                    late_reason=reason,
                )
                if outcome == "cin_plan":
                    ends = icpc + rng.randint(90, 300)
                    self.add(
                        "cin_plans",
                        child_id=c,
                        episode_id=ep_ids[c],
                        start_date=_d(icpc),
                        end_date=_d(ends) if ends < today and self.chance(0.5) else None,
                    )
            return

        # A plan is made. Decide how far it has gone.
        # Plans record every 10 working days or more often (a plan may tighten the minimum of
        # the profiles, never loosen it: docs/standards-profiles.md, "Stricter wins").
        visit_freq = _pick(rng, ((10, 80), (5, 20)))
        review_dates = [_months(icpc, 3)]
        plan_chair = chair
        plan_ids = {}
        for c, _dob, _ in children:
            plan_ids[c] = self.add(
                "cp_plans",
                child_id=c,
                episode_id=ep_ids[c],
                start_date=_d(icpc),
                initial_category=category,
                latest_category=category,
                previous_plans=previous,
                pre_birth=stage == "pre_birth",
                visit_frequency_wd=visit_freq,
                contingency_plan=rng.choice(CONTINGENCY),
                transferred_in_from="Another local authority"
                if conf_type == ConferenceType.TRANSFER_IN
                else None,
            )
        first_cg_late = self.chance(0.1)
        first_cg = days.add(icpc, rng.randint(11, 20) if first_cg_late else rng.randint(4, 10))
        first_cg_reason = rng.choice(demo_events.CORE_GROUP_LATE) if first_cg_late else None
        for c, _, _ in children:
            self.conference(
                c,
                conf_type,
                icpc,
                icpc,
                chair,
                s47_id=s47[c],
                plan_id=plan_ids[c],
                outcome="cp_plan",
                category=category,
                meeting=f"{meeting}-1",
                late_reason=reason,
                first_core_group=first_cg,
                next_review=review_dates[0],
                visit_freq=visit_freq,
                pre_birth_baf=stage == "pre_birth",
            )
        conference_days = [icpc]

        # Reviews: most on time (up to two weeks early), a few late, each for a reason
        # recorded; now and then one stood down and reconvened a week later.
        end_day = None
        due = review_dates[0]
        k = 0
        while True:
            k += 1
            if self.chance(REVIEW_LATE_SHARE):
                held = days.roll(due + rng.randint(1, 30))
            else:  # the working day on or before a day up to two weeks early
                held = days.add(due - rng.randint(0, 14), 0)
            late_reason = rng.choice(LATE_REASONS) if held > due else None
            if held < today and self.chance(0.03):
                why = rng.choice(STAND_DOWN_REASONS)
                for c, _, _ in children:
                    self.conference(
                        c,
                        ConferenceType.REVIEW,
                        held,
                        None,
                        plan_chair,
                        plan_id=plan_ids[c],
                        meeting=f"{meeting}-{k + 1}s",
                        stood_down=True,
                        stood_down_reason=why,
                    )
                stood_down_on, held = held, days.add(held, 5)
                if held > due:
                    late_reason = (
                        f"Stood down on {_d(stood_down_on):%d %B %Y} ({why[0].lower()}"
                        f"{why[1:]}); reconvened a week later"
                    )
            if held >= today:
                # The next review: booked, unless it is still months away.
                if end_day is None and not (held - today > 60 and self.chance(0.3)):
                    for c, _, _ in children:
                        self.conference(
                            c,
                            ConferenceType.REVIEW,
                            held,
                            None,
                            plan_chair,
                            plan_id=plan_ids[c],
                            meeting=f"{meeting}-{k + 1}",
                            upcoming=True,
                            late_reason=late_reason,
                        )
                break
            if self.chance(0.12):
                plan_chair = rng.choice(self.chairs)
            ends = end_at is not None and k >= end_at
            next_due = _months(held, 6)
            for c, _, _ in children:
                self.conference(
                    c,
                    ConferenceType.REVIEW,
                    held,
                    held,
                    plan_chair,
                    plan_id=plan_ids[c],
                    outcome="plan_ends" if ends else "plan_continues",
                    category=None if ends else category,
                    meeting=f"{meeting}-{k + 1}",
                    late_reason=late_reason,
                    next_review=None if ends else next_due,
                    visit_freq=None if ends else visit_freq,
                )
            conference_days.append(held)
            if ends:
                end_day = held
                break
            due = next_due

        if end_day is not None:
            for c, _, _ in children:
                plan = self.row("cp_plans", plan_ids[c])
                plan["end_date"] = _d(end_day)
                plan["end_reason"] = _pick(
                    rng,
                    (
                        ("step_down_cin", 75),
                        ("looked_after", 10),
                        ("transferred_out", 5),
                        ("no_further_action", 10),
                    ),
                )
                if plan["end_reason"] == "step_down_cin":
                    self.add("cin_plans", child_id=c, episode_id=ep_ids[c], start_date=_d(end_day))
                if self.chance(0.6):
                    ep = self.row("cin_episodes", ep_ids[c])
                    closure = end_day + rng.randint(20, 200)
                    if closure < today:
                        ep["closure_date"] = _d(closure)
                        ep["reason_for_closure"] = "RC4"
                        for cin in self.rows.get("cin_plans", [])[::-1]:
                            if cin["child_id"] == c and cin.get("end_date") is None:
                                cin["end_date"] = _d(closure)
                                break
        last_day = end_day if end_day is not None else today
        self.core_groups(
            children, plan_ids, first_cg, last_day, meeting, end_day is None, first_cg_reason
        )
        self.visits(children, plan_ids, icpc, last_day, visit_freq)
        self.tracking(children, plan_ids, conference_days, last_day, plan_chair, end_day is None)

    # -- conference and what surrounds it ----------------------------------

    def conference(
        self,
        child_id,
        conf_type,
        scheduled,
        held,
        chair,
        *,
        s47_id=None,
        plan_id=None,
        outcome=None,
        category=None,
        meeting=None,
        late_reason=None,
        first_core_group=None,
        next_review=None,
        visit_freq=None,
        upcoming=False,
        stood_down=False,
        stood_down_reason=None,
        pre_birth_baf=False,
    ) -> int:
        rng, days, today = self.rng, self.days, self.today
        row: dict[str, Any] = {
            "child_id": child_id,
            "type": str(conf_type),
            "plan_id": plan_id,
            "s47_id": s47_id,
            "meeting_ref": meeting,
            "chair_id": chair,
            "scheduled_date": _d(scheduled),
            "scheduled_time": dt.time(rng.choice((9, 10, 11, 13, 14)), rng.choice((0, 30))),
            "held_date": _d(held),
            "stood_down": stood_down,
            "venue": _pick(rng, (("in_person", 55), ("virtual", 30), ("hybrid", 15))),
            # Why it is (or is booked) out of timescale.
            "out_of_timescale_reason": late_reason,
        }
        if row["venue"] != "virtual":
            # A child's conferences meet in one place (000), now and then moved for a room.
            home = VENUE_NAMES[sum(map(ord, child_id)) % len(VENUE_NAMES)]
            row["venue_name"] = home if self.chance(0.97) else rng.choice(VENUE_NAMES)
        # The date is set two to four weeks ahead; invitations are requested the next working
        # day (003 §2.11), now and then a day or two later.
        date_set = days.add(scheduled, -rng.randint(10, 20))
        if date_set <= today:
            row["date_set_on"] = _d(date_set)
            asked = days.add(date_set, 1 if self.chance(0.95) else rng.randint(2, 3))
            row["invitations_requested"] = _d(asked) if asked <= today else None
        if stood_down:
            row["stood_down_reason"] = stood_down_reason
            row["bridging_plan"] = "Existing plan continues; social worker to visit weekly."
        if held is not None and not stood_down:
            row.update(
                outcome=outcome,
                category=category,
                quorate=True,
                participation=rng.choice(("PN1", "PN5", "PN6", "PN7", "PN0")),
                dissent=self.chance(0.04),
                feedback_sought=self.chance(0.7),
            )
            if row["dissent"]:
                row["dissent_detail"] = (
                    "Police view: the plan should continue under physical abuse."
                )
            if outcome in ("cp_plan", "plan_continues"):
                row.update(
                    worried_about=rng.choice(WORRIES),
                    working_well=rng.choice(WORKING_WELL),
                    child_views="Wants the arguing at home to stop.",
                    needs_to_happen="Adults to show safe care over the next three months.",
                    danger_statements="If nothing changes the children may be hurt.",
                    safety_goals=rng.choice(SAFETY_GOALS),
                    contingency_plan=rng.choice(CONTINGENCY),
                    core_group_members="Social worker, health visitor, school, parents",
                    first_core_group_date=_d(first_core_group),
                    next_review_date=_d(next_review),
                    visit_frequency_wd=visit_freq,
                )
            # Distribution of decisions, plan and minutes (003 §4.9, §4.13, §4.14).
            dec = held + _pick(rng, ((0, 50), (1, 40), (rng.randint(2, 4), 10)))
            plan_d = days.add(held, _pick(rng, ((1, 80), (rng.randint(2, 5), 20))))
            mins = days.add(held, _pick(rng, ((rng.randint(5, 14), 78), (rng.randint(15, 30), 22))))
            row["decisions_distributed"] = _d(dec) if dec <= today else None
            row["plan_distributed"] = _d(plan_d) if plan_d <= today else None
            row["minutes_distributed"] = _d(mins) if mins <= today else None
            if pre_birth_baf and first_core_group is not None:
                baf = days.add(first_core_group, rng.choice((2, 5, 8, 9, 12, 16)))
                row["birth_arrangements_distributed"] = _d(baf) if baf <= today else None
        conf_id = self.add("conferences", **row)
        if not stood_down:
            agencies = self._agencies(child_id)
            self.specs["reports"].append((conf_id, scheduled, upcoming, agencies))
            if held is not None:
                self.specs["attendance"].append((conf_id, outcome, agencies))
                if outcome in ("cp_plan", "plan_continues"):
                    self.specs["actions"].append((child_id, plan_id, held))
        return conf_id

    def _agencies(self, child_id: str) -> tuple[str, ...]:
        """Who reports to and is invited to a conference about this child."""
        child = self.children_by_id[child_id]
        dob = child["date_of_birth"]
        age = (self.cfg.as_of - dob).days / 365.25 if dob else -1
        if age < 0:
            base = AGENCIES_UNBORN
        elif age < 2:
            base = AGENCIES_BABY
        elif age < 5:
            base = AGENCIES_TODDLER
        else:
            base = AGENCIES_SCHOOL
        extra = self.rng.randint(0, 2)
        if extra == 0:
            return base
        return base + tuple(self.rng.sample(AGENCIES_EXTRA, extra))

    # -- between conferences -----------------------------------------------

    def core_groups(self, children, plan_ids, first, last, meeting, open_plan, late) -> None:
        members = [(c, plan_ids[c]) for c, _, _ in children]
        self.specs["core_groups"].append((members, first, last, meeting, open_plan, late))

    def visits(self, children, plan_ids, start, last, freq) -> None:
        for c, dob, _ in children:
            self.specs["visits"].append((c, plan_ids[c], start, min(last, self.today), freq, dob))

    def tracking(self, children, plan_ids, conference_days, last, chair, open_plan) -> None:
        rng, today = self.rng, self.today
        for i, start in enumerate(conference_days):
            stop = conference_days[i + 1] if i + 1 < len(conference_days) else last
            # Midway review, halfway between conferences (004 §4.14), in most intervals.
            mid = start + (stop - start) // 2 if i + 1 < len(conference_days) else None
            if mid is None and open_plan:
                due_next = _months(start, 3 if i == 0 else 6)
                mid = start + (due_next - start) // 2
            if mid is not None and mid < today and self.chance(0.65):
                when = min(mid + rng.randint(-7, 12), today - 1)
                for c, _, _ in children:
                    self.add(
                        "midway_reviews",
                        child_id=c,
                        plan_id=plan_ids[c],
                        chair_id=chair,
                        date=_d(when),
                        outcomes=[
                            {
                                "outcome": rng.choice(SAFETY_GOALS),
                                "rag": rng.choice(("red", "amber", "green", "green")),
                                "evidence": "Core group minutes and social worker's visits.",
                            }
                        ],
                        risks_reducing=rng.choice(("yes", "partly", "partly", "no")),
                        child_voice_heard=self.chance(0.8),
                        contingency_still_right=self.chance(0.9),
                        decision=_pick(
                            rng,
                            (
                                ("on_track", 70),
                                ("bring_review_forward", 8),
                                ("escalate", 7),
                                ("recommend_change_of_plan", 15),
                            ),
                        ),
                    )
            day = start + rng.randint(25, 50)
            while day < min(stop, today):
                decision = _pick(
                    rng,
                    (
                        ("no_action", 70),
                        ("advice_social_worker", 18),
                        ("advice_team_manager", 8),
                        ("escalate", 4),
                    ),
                )
                next_check = day + rng.randint(28, 56)
                for c, _, _ in children:
                    esc = None
                    if decision == "escalate":
                        # Answered by the response date, or a little late with the
                        # reason given; open only while recent, past its date only with a
                        # holding reply saying why.
                        due = self.days.add(day, 5)
                        late = self.chance(0.15)
                        answered = self.days.add(
                            due, rng.randint(1, 5) if late else -rng.randint(0, 4)
                        )
                        recent = day >= self.days.add(today, -40)
                        if answered >= today or (recent and self.chance(0.6)):
                            answered = None
                        holding = answered is None and due < today
                        esc = self.add(
                            "escalations",
                            child_id=c,
                            plan_id=plan_ids[c],
                            raised_by=chair,
                            raised_on=_d(day),
                            stage="team manager",
                            source_kind="case_tracking",
                            reason="Visits and core groups have not happened as the plan requires.",
                            raised_with="Team manager",
                            response_due=_d(due),
                            response=(
                                "Visiting restored; core group booked."
                                + (" Reply delayed: team manager on leave." if late else "")
                            )
                            if answered
                            else (HOLDING_REPLY if holding else None),
                            response_date=_d(max(answered, day)) if answered else None,
                            outcome="Resolved at team manager stage" if answered else None,
                            status="resolved" if answered else "open",
                        )
                    self.add(
                        "case_tracking",
                        child_id=c,
                        plan_id=plan_ids[c],
                        chair_id=chair,
                        date=_d(day),
                        checked_core_groups=True,
                        checked_visits=True,
                        checked_actions=self.chance(0.8),
                        checked_reports=self.chance(0.5),
                        observations=rng.choice(OBSERVATIONS),
                        concerns="Visits slipping." if decision != "no_action" else None,
                        decision=decision,
                        next_check_date=_d(next_check),
                        escalation_id=esc,
                    )
                day = next_check + rng.randint(-5, 25)
            if i == 2 and self.chance(0.9):
                # Enhanced Risk Analysis Meeting after the second review (000, chairs' standards)
                when = start + rng.randint(5, 30)
                if when < today:
                    for c, _, _ in children:
                        self.add(
                            "case_tracking",
                            child_id=c,
                            plan_id=plan_ids[c],
                            chair_id=chair,
                            kind="enhanced_risk_analysis",
                            date=_d(when),
                            observations="Enhanced risk analysis meeting held; plan "
                            "refocused on the original risks.",
                            decision="no_action",
                        )

    # -- the routine events, a column at a time ----------------------------

    def action_specs(self) -> list[tuple]:
        """Each conference's actions with what follows it: the plan's next conference (or
        its end), whether the plan continues there, and the conference after that."""
        by_plan: dict[int, list[tuple]] = {}
        for child, plan, held in self.specs["actions"]:
            by_plan.setdefault(plan, []).append((held, child))
        out = []
        for plan, sets in by_plan.items():
            end = self.row("cp_plans", plan).get("end_date")
            days = [held for held, _ in sets] + [end.toordinal() if end else 0, 0]
            for i, (held, child) in enumerate(sets):
                out.append((child, plan, held, days[i + 1], i + 1 < len(sets), days[i + 2]))
        return out

    def events(self) -> dict[str, pd.DataFrame]:
        wd = demo_events.WorkingDays(self.days.days)
        seed, today, specs = (self.cfg.seed, self.chunk_no), self.today, self.specs
        attendance, quorate = demo_events.attendance(specs["attendance"], seed)
        for conf in self.rows.get("conferences", []):
            if conf["id"] in quorate:
                conf["quorate"] = quorate[conf["id"]]
        frames = {
            "agency_reports": demo_events.reports(specs["reports"], today, seed),
            "attendance": attendance,
            "plan_actions": demo_events.actions(self.action_specs(), today, seed),
            "core_groups": demo_events.core_groups(specs["core_groups"], wd, today, seed),
            "visits": demo_events.visits(specs["visits"], wd, today, seed),
        }
        for frame in frames.values():
            frame.insert(0, "id", np.arange(1, len(frame) + 1))
        return frames


def generate(
    children: int = 120, seed: int = 1, as_of: dt.date | None = None
) -> dict[str, list[dict] | pd.DataFrame]:
    """The synthetic caseload by record kind (nothing written): lists of row dicts, and
    frames for the high-volume kinds (visits, core groups, reports, attendance, actions)."""
    out: dict[str, list] = {}
    for chunk in chunks(children, seed, as_of, workers=1):
        for table, rows in chunk.items():
            out.setdefault(table, []).append(rows)
    return {
        table: pd.concat(parts, ignore_index=True)
        if isinstance(parts[0], pd.DataFrame)
        else [row for part in parts for row in part]
        for table, parts in out.items()
    }


# Worker processes are started by a server process that has run nothing of the caller's
# ("forkserver"), never forked from the caller: a forked process has none of its parent's
# threads, and a library that keeps a pool of them (polars, connectorx) never returns there.
POOL_START = "forkserver"


def worker_pool(workers: int):
    """A pool of ``workers`` processes, started the project's way (``POOL_START``)."""
    return multiprocessing.get_context(POOL_START).Pool(workers)


def _make_chunk(
    cfg: DemoConfig, people: _People, chunk_no: int, sqlite: bool | None = None
) -> dict:
    """One chunk's rows; with ``sqlite`` given, already prepared for ``bulk_insert``
    (done in the worker, so the writing process has less to do)."""
    first = chunk_no * CHUNK_CHILDREN
    last = min(cfg.children, first + CHUNK_CHILDREN)
    rows = _Generator(cfg, people, chunk_no).run(first, last)
    if sqlite is None:
        return rows
    return {table: prepare(table, r, sqlite=sqlite) for table, r in rows.items()}


def chunks(
    children: int = 120,
    seed: int = 1,
    as_of: dt.date | None = None,
    workers: int | None = None,
    sqlite: bool | None = None,
) -> Iterator[dict[str, Any]]:
    """The caseload as it is made: the staff and teams, then chunks of children.

    Chunks are made by ``workers`` processes (default: one per CPU, up to 4) while the
    caller writes the previous ones; the data are the same whatever the number of workers.
    With ``sqlite`` given, chunks come as ``store.Columns`` ready for ``bulk_insert``.
    """
    cfg = DemoConfig(children=children, seed=seed, as_of=as_of or today())
    people = _people(cfg)
    yield people.rows
    n_chunks = -(-children // CHUNK_CHILDREN)
    offsets = {table: len(rows) for table, rows in people.rows.items()}
    if workers is None:
        workers = min(os.cpu_count() or 1, 4)
    if workers <= 1 or n_chunks == 1:
        for k in range(n_chunks):
            yield _renumber(_make_chunk(cfg, people, k, sqlite), offsets)
        return
    with worker_pool(workers) as pool:
        pending: deque = deque()
        for k in range(n_chunks):
            pending.append(pool.apply_async(_make_chunk, (cfg, people, k, sqlite)))
            if len(pending) > workers:  # bound the chunks held in memory
                yield _renumber(pending.popleft().get(), offsets)
        while pending:
            yield _renumber(pending.popleft().get(), offsets)


# Tables whose ids a chunk numbers locally; references to them are shifted when chunks are
# put together. Teams, staff and settings are made once; children's ids are already global.
_SHARED = ("teams", "staff", "settings", "children")


def _shifts(table: str, offsets: dict[str, int]) -> dict[str, int]:
    """What to add to a chunk's id and reference columns of ``table`` to renumber them."""
    from cptrack.storage.tables import TABLES

    shifts = {"id": offsets.get(table, 0)} if table not in _SHARED else {}
    for col in TABLES[table].columns:
        for fk in col.foreign_keys:
            target = fk.column.table.name
            if target not in _SHARED:
                shifts[col.name] = offsets.get(target, 0)
    return {k: v for k, v in shifts.items() if v}


def _renumber(chunk: dict, offsets: dict[str, int]) -> dict:
    """Shift a chunk's local ids (and references to them) past the rows already made."""
    for table, rows in chunk.items():
        shifts = _shifts(table, offsets)
        if isinstance(rows, pd.DataFrame):
            for col, shift in shifts.items():
                if col in rows.columns:
                    rows[col] = rows[col] + shift
        elif isinstance(rows, Columns):
            for col, shift in shifts.items():
                rows.data[col] = [None if v is None else v + shift for v in rows.data[col]]
        elif shifts:
            for row in rows:
                for col, shift in shifts.items():
                    if row.get(col) is not None:
                        row[col] += shift
    for table, rows in chunk.items():
        offsets[table] = offsets.get(table, 0) + len(rows)
    return chunk


def _write_scratch(
    cfg: DemoConfig, people: _People, worker: int, workers: int, path: str
) -> list[tuple[int, dict[str, int]]]:
    """Make every ``workers``-th chunk from ``worker`` on and write each into a scratch
    SQLite file, one table per kind and chunk (``visits__3``); returns the row counts."""
    import sqlite3

    from cptrack.storage.tables import TABLES

    n_chunks = -(-cfg.children // CHUNK_CHILDREN)
    out = []
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    try:
        for k in range(worker, n_chunks, workers):
            counts = {}
            conn.execute("BEGIN")
            for table, rows in _make_chunk(cfg, people, k).items():
                columns = prepare(table, rows, sqlite=True).data
                names = [c.name for c in TABLES[table].columns]
                name = f"{table}__{k}"
                conn.execute(f'CREATE TABLE "{name}" ({", ".join(names)})')
                conn.executemany(
                    f'INSERT INTO "{name}" VALUES ({", ".join("?" for _ in names)})',
                    zip(*(columns[n] for n in names), strict=True),
                )
                counts[table] = len(rows)
            conn.execute("COMMIT")
            out.append((k, counts))
    finally:
        conn.close()
    return out


def _populate_sqlite(store: Store, cfg: DemoConfig, note: str) -> dict[str, int]:
    """The SQLite fast path: worker processes write the chunks into scratch files in
    parallel; the database then copies them in, renumbered, inside one transaction."""
    people = _people(cfg)
    n_chunks = -(-cfg.children // CHUNK_CHILDREN)
    workers = max(1, min(os.cpu_count() or 1, 4, n_chunks))
    with tempfile.TemporaryDirectory(prefix="cptrack-demo-") as tmp:
        paths = {f"w{w}": str(Path(tmp) / f"w{w}.sqlite") for w in range(workers)}
        jobs = [(cfg, people, w, workers, paths[f"w{w}"]) for w in range(workers)]
        if workers == 1:
            results = [_write_scratch(*jobs[0])]
        else:
            with worker_pool(workers) as pool:
                results = pool.starmap(_write_scratch, jobs)
        made = sorted((k, w, counts) for w, done in enumerate(results) for k, counts in done)
        offsets = {table: len(rows) for table, rows in people.rows.items()}
        parts: list[dict] = [people.rows]
        for k, w, counts in made:
            parts.append(
                {
                    table: Copy(f"w{w}", f"{table}__{k}", n, _shifts(table, offsets))
                    for table, n in counts.items()
                }
            )
            for table, n in counts.items():
                offsets[table] = offsets.get(table, 0) + n
        return store.bulk_insert(parts, note=note, attach=paths)


def populate(
    store: Store, children: int = 120, seed: int = 1, as_of: dt.date | None = None
) -> dict[str, int]:
    """Fill an empty database with the synthetic caseload; returns row counts by kind.

    Worker processes make the chunks in parallel; the database takes them in one
    transaction.
    """
    if store.count("children"):
        raise ValueError(
            f"{store.url} already holds {store.count('children')} children; the demo caseload "
            "goes into an empty database"
        )
    cfg = DemoConfig(children=children, seed=seed, as_of=as_of or today())
    note = f"synthetic demo caseload: {children} children, seed {seed}, as of {cfg.as_of}"
    if store.dialect == "sqlite":
        return _populate_sqlite(store, cfg, note)
    return store.bulk_insert(chunks(children, seed, cfg.as_of, sqlite=False), note=note)
