"""One chunk of the synthetic caseload as it is made: its rows, its draws, its specs.

A ``Chunk`` holds what the generators of families (``families``), conferences
(``conferences``) and the chair's oversight (``oversight``) share: the chunk's own random
stream and working days, the rows made so far, the running balances that keep a small
caseload near England's shares, and the specifications of the routine events the column
generators (``plan_events``, ``conference_events``) make afterwards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cptrack.demo.catalogue import ICPC_WORKING_DAYS, SPREAD_STEPS, STAGES
from cptrack.demo.days import Days
from cptrack.demo.draws import FastRandom, pick
from cptrack.demo.people import DemoConfig, People


class Chunk:
    """One chunk of the caseload as it is made (``synthetic._chunk_rows``): some thousands
    of children, with everything that happens to them.

    A chunk depends only on the seed, its number and the shared people, so chunks can be
    made in any order or in parallel; ids are local to the chunk (from 1) and renumbered
    as the chunks are put together (``synthetic._renumber``).
    """

    def __init__(self, cfg: DemoConfig, people: People, chunk_no: int):
        self.cfg = cfg
        self.chunk_no = chunk_no
        self.rng = FastRandom(cfg.seed * 1_000_003 + chunk_no)
        self.random = self.rng.random
        p = people
        self.chairs, self.chair_weights, self.sw_teams = p.chairs, p.chair_weights, p.sw_teams
        self.social_workers, self.surnames, self.places = p.social_workers, p.surnames, p.places
        self.boys, self.girls = p.boys, p.girls
        self.qa_leads = p.qa_leads
        self.today = cfg.as_of.toordinal()
        self.days = Days(cfg.as_of - dt.timedelta(days=365 * 8), cfg.as_of + dt.timedelta(days=400))
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
        """One item from ``(item, weight)`` pairs, like ``pick``, but drawn along a
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
        lo, hi = pick(self.rng, ranges)
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

    # -- the specs of the routine events -------------------------------------

    def core_groups(self, children, plan_ids, first, last, meeting, open_plan, late) -> None:
        """The spec of a plan's core groups, shared by the children on it."""
        members = [(c, plan_ids[c]) for c, _, _ in children]
        self.specs["core_groups"].append((members, first, last, meeting, open_plan, late))

    def visits(self, children, plan_ids, start, last, freq) -> None:
        """The spec of each child's statutory visits."""
        for c, dob, _ in children:
            self.specs["visits"].append((c, plan_ids[c], start, min(last, self.today), freq, dob))
