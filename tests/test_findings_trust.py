"""Findings a chair can trust: each scenario from issue 13, through `cptrack check --format csv`.

Each test builds a small database, runs the command a chair or analyst would run, and reads
the CSV it prints: the figure applied, its status and the basis it rests on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from cptrack.cli import main
from cptrack.storage.store import Store

D = dt.date
CHILD = {"id": "C1", "given_name": "Sam", "family_name": "Test", "date_of_birth": D(2018, 3, 1)}


def check(capsys, tmp_path, profile: str, as_of: D, **records) -> list[dict]:
    """The rows `cptrack check --format csv` prints for a database holding ``records``."""
    db = str(tmp_path / "case.sqlite")
    with Store.open(db, migrate=True) as store:
        store.bulk_insert({"children": [CHILD], **records}, "test case")
    code = main(
        ["check", "--db", db, "--profile", profile, "--as-of", as_of.isoformat(), "--format", "csv"]
    )
    out, err = capsys.readouterr()
    assert 0 == code, err
    return list(csv.DictReader(io.StringIO(out)))


def only(rows: list[dict], rule_id: str, occurrence: int | None = None) -> dict:
    found = [
        r
        for r in rows
        if r["rule_id"] == rule_id and (occurrence is None or int(r["occurrence"]) == occurrence)
    ]
    assert 1 == len(found), f"{len(found)} rows for {rule_id}: {found}"
    return found[0]


def plan(**kw) -> dict:
    return {
        "id": 1,
        "child_id": "C1",
        "start_date": D(2026, 6, 1),
        "initial_category": "NEG",
        "latest_category": "NEG",
        **kw,
    }


@pytest.mark.parametrize(
    ("plan_frequency", "basis", "status", "late", "words"),
    [
        # The plan's 20 would loosen B&NES's minimum: the minimum applies.
        (
            20,
            "authority",
            "met_late",
            "8",
            "the plan records every 20 working days, which "
            "would be looser, so this minimum applies",
        ),
        # The plan's 5 is stricter: the plan's applies.
        (
            5,
            "plan",
            "met_late",
            "13",
            "the plan's own record: every 5 working days, stricter than the minimum of every 10",
        ),
        # No frequency recorded: the minimum, as the authority's standard.
        (None, "authority", "met_late", "8", "this authority's standard: 002 Practice Guidance 8"),
    ],
)
def test_a_plan_may_tighten_the_bathnes_visit_minimum_but_never_loosen_it(
    capsys, tmp_path, plan_frequency, basis, status, late, words
):
    """002, Practice Guidance 8: "minimum visiting frequency standard of every 10 working
    days". Visits on Mon 1 Jun and Thu 25 Jun 2026 are 18 working days apart (June 2026 has
    no bank holiday). Due 10 working days after 1 Jun, Mon 15 Jun: 8 working days late. With
    the plan's own every 5 working days, due Mon 8 Jun: 13 late. A plan's every 20 working
    days does not make the 18-day gap "met"."""
    rows = check(
        capsys,
        tmp_path,
        "bathnes",
        D(2026, 7, 1),
        cp_plans=[plan(visit_frequency_wd=plan_frequency)],
        visits=[
            {"id": 1, "child_id": "C1", "plan_id": 1, "date": D(2026, 6, 1)},
            {"id": 2, "child_id": "C1", "plan_id": 1, "date": D(2026, 6, 25)},
        ],
    )
    second = only(rows, "visit_frequency", 2)
    assert (status, late, basis) == (second["status"], second["working_days_late"], second["basis"])
    assert words in second["basis_text"]


def test_sunderland_counts_from_the_first_strategy_discussion_of_the_enquirys_episode(
    capsys, tmp_path
):
    """003 §1.1: "within 15 working days of the first strategy meeting for the child or
    children". A strategy discussion on 2 Mar 2026 decided on no enquiry, in an episode closed
    on 31 Mar. The next referral (28 Aug) led to the discussion of Tue 1 Sep that started the
    enquiry. Counting from 1 Sep: 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 21, 22 Sep is
    the 15th working day, so the conference of Fri 18 Sep is in time; counted from 2 Mar it
    would read "met late by 124 working days"."""
    rows = check(
        capsys,
        tmp_path,
        "sunderland",
        D(2026, 10, 1),
        cin_episodes=[
            {
                "id": 1,
                "child_id": "C1",
                "referral_date": D(2026, 2, 23),
                "closure_date": D(2026, 3, 31),
                "reason_for_closure": "RC8",
            },
            {"id": 2, "child_id": "C1", "referral_date": D(2026, 8, 28)},
        ],
        strategy_discussions=[
            {"id": 1, "child_id": "C1", "date": D(2026, 3, 2), "s47_initiated": False},
            {"id": 2, "child_id": "C1", "date": D(2026, 9, 1), "s47_initiated": True},
        ],
        s47_enquiries=[
            {
                "id": 1,
                "child_id": "C1",
                "episode_id": 2,
                "start_date": D(2026, 9, 1),
                "strategy_discussion_id": 2,
            }
        ],
        conferences=[
            {
                "id": 1,
                "child_id": "C1",
                "type": "initial",
                "s47_id": 1,
                "scheduled_date": D(2026, 9, 18),
                "held_date": D(2026, 9, 18),
                "outcome": "nfa",
            }
        ],
    )
    icpc = only(rows, "icpc_within_15wd")
    assert ("2026-09-01", "2026-09-22", "met") == (
        icpc["anchor_date"],
        icpc["due_date"],
        icpc["status"],
    )
    assert "authority" == icpc["basis"] and "003 §1.1" in icpc["basis_text"]


def test_a_core_group_without_the_social_worker_is_not_a_core_group(capsys, tmp_path):
    """003 §6.20: "If no Social Worker is in attendance this is not a Core Group but an
    information sharing meeting". The plan starts at the conference of Fri 18 Sep 2026; the
    first core group is due 10 working days later, Fri 2 Oct. The meeting of 25 Sep without
    the social worker does not meet it: on 9 Oct it is overdue by 5 working days, and the
    meeting itself is an amber finding of its own until a real core group is held."""
    rows = check(
        capsys,
        tmp_path,
        "sunderland",
        D(2026, 10, 9),
        cp_plans=[plan(start_date=D(2026, 9, 18))],
        conferences=[
            {
                "id": 1,
                "child_id": "C1",
                "type": "initial",
                "plan_id": 1,
                "scheduled_date": D(2026, 9, 18),
                "held_date": D(2026, 9, 18),
                "outcome": "cp_plan",
                "category": "NEG",
            }
        ],
        core_groups=[
            {
                "id": 1,
                "child_id": "C1",
                "plan_id": 1,
                "date": D(2026, 9, 25),
                "status": "held",
                "social_worker_attended": False,
            }
        ],
    )
    first = only(rows, "first_core_group_within_10wd")
    assert ("2026-10-02", "overdue", "5", "") == (
        first["due_date"],
        first["status"],
        first["working_days_late"],
        first["actual_date"],
    )
    meeting = only(rows, "sunderland_core_group_needs_social_worker")
    assert ("due", "amber", "True") == (meeting["status"], meeting["rag"], meeting["live"])
    assert "not a core group" in meeting["status_text"]
    # National guidance says nothing of it: there the meeting counts.
    (tmp_path / "national").mkdir()
    national = check(
        capsys,
        tmp_path / "national",
        "national",
        D(2026, 10, 9),
        cp_plans=[plan(start_date=D(2026, 9, 18))],
        conferences=[
            {
                "id": 1,
                "child_id": "C1",
                "type": "initial",
                "plan_id": 1,
                "scheduled_date": D(2026, 9, 18),
                "held_date": D(2026, 9, 18),
                "outcome": "cp_plan",
                "category": "NEG",
            }
        ],
        core_groups=[
            {
                "id": 1,
                "child_id": "C1",
                "plan_id": 1,
                "date": D(2026, 9, 25),
                "status": "held",
                "social_worker_attended": False,
            }
        ],
    )
    assert "met" == only(national, "first_core_group_within_10wd")["status"]


def test_the_plan_is_distributed_within_5_days_of_each_core_group(capsys, tmp_path):
    """003 §6.11: "progress and actions clearly recorded and distributed within 5 days". A core
    group on Thu 1 Oct 2026 is due to send the plan by Tue 6 Oct (5 days); sent on 8 Oct it is
    2 days late; the core group of 29 Oct with nothing sent is overdue on 9 Nov."""
    rows = check(
        capsys,
        tmp_path,
        "sunderland",
        D(2026, 11, 9),
        cp_plans=[plan(start_date=D(2026, 9, 18))],
        core_groups=[
            {
                "id": 1,
                "child_id": "C1",
                "plan_id": 1,
                "date": D(2026, 10, 1),
                "status": "held",
                "plan_distributed": D(2026, 10, 8),
            },
            {"id": 2, "child_id": "C1", "plan_id": 1, "date": D(2026, 10, 29), "status": "held"},
        ],
    )
    sent = only(rows, "sunderland_core_group_plan_5d", 1)
    assert ("2026-10-06", "met_late", "2") == (sent["due_date"], sent["status"], sent["days_late"])
    unsent = only(rows, "sunderland_core_group_plan_5d", 2)
    assert ("2026-11-03", "overdue", "red") == (unsent["due_date"], unsent["status"], unsent["rag"])


def test_invitations_are_requested_the_next_working_day_after_the_date_is_set(capsys, tmp_path):
    """003 §2.11: invitations are requested "the next working day". A date set on Thu 24 Dec
    2026 is due Tue 29 Dec (25 Dec, the weekend and the Boxing Day substitute of 28 Dec are
    not working days); requested on 30 Dec, it is late by 1 working day."""
    rows = check(
        capsys,
        tmp_path,
        "sunderland",
        D(2027, 1, 4),
        conferences=[
            {
                "id": 1,
                "child_id": "C1",
                "type": "initial",
                "scheduled_date": D(2027, 1, 8),
                "date_set_on": D(2026, 12, 24),
                "invitations_requested": D(2026, 12, 30),
            }
        ],
    )
    row = only(rows, "sunderland_invitations_next_working_day")
    assert ("2026-12-29", "met_late", "1") == (
        row["due_date"],
        row["status"],
        row["working_days_late"],
    )


def test_a_booking_after_the_due_date_is_never_green(capsys, tmp_path):
    """An ICPC whose strategy discussion was on Wed 2 Dec 2026 is due on Wed 23 Dec, the 15th
    working day (3, 4, 7, ..., 22, 23 Dec). Booked for Thu 24 Dec, on 7 Dec it is due in 12
    working days but will be a day late: amber, saying so, never green."""
    rows = check(
        capsys,
        tmp_path,
        "national",
        D(2026, 12, 7),
        strategy_discussions=[{"id": 1, "child_id": "C1", "date": D(2026, 12, 2)}],
        s47_enquiries=[
            {"id": 1, "child_id": "C1", "start_date": D(2026, 12, 2), "strategy_discussion_id": 1}
        ],
        conferences=[
            {
                "id": 1,
                "child_id": "C1",
                "type": "initial",
                "s47_id": 1,
                "scheduled_date": D(2026, 12, 24),
            }
        ],
    )
    icpc = only(rows, "icpc_within_15wd")
    assert ("2026-12-23", "2026-12-24", "due", "amber") == (
        icpc["due_date"],
        icpc["booked_date"],
        icpc["status"],
        icpc["rag"],
    )
    assert icpc["status_text"].startswith(
        "booked 1 working day after it is due (due in 12 working days)"
    )
    assert "national" == icpc["basis"] and "Working Together 2023" in icpc["basis_text"]


def test_a_plan_action_overtaken_by_a_review_is_history_not_overdue(capsys, tmp_path):
    """An action due 1 Jul 2026, still open, of a plan reviewed at conference on 15 Jul: on
    20 Nov it is settled as "not done by the review of 15 Jul 2026" and not live; an action due
    after that review is still live and overdue."""
    rows = check(
        capsys,
        tmp_path,
        "national",
        D(2026, 11, 20),
        cp_plans=[plan(start_date=D(2026, 4, 15))],
        conferences=[
            {
                "id": 1,
                "child_id": "C1",
                "type": "review",
                "plan_id": 1,
                "scheduled_date": D(2026, 7, 15),
                "held_date": D(2026, 7, 15),
                "outcome": "plan_continues",
            }
        ],
        plan_actions=[
            {
                "id": 1,
                "child_id": "C1",
                "plan_id": 1,
                "description": "Refer to CAMHS",
                "owner": "SW",
                "due_date": D(2026, 7, 1),
            },
            {
                "id": 2,
                "child_id": "C1",
                "plan_id": 1,
                "description": "Parenting course",
                "owner": "SW",
                "due_date": D(2026, 10, 1),
            },
        ],
    )
    old, new = only(rows, "actions_overdue", 1), only(rows, "actions_overdue", 2)
    assert ("not done by the review of 15 Jul 2026", "False") == (old["status_text"], old["live"])
    assert ("overdue", "True", "plan") == (new["status"], new["live"], new["basis"])


def test_national_cites_working_together_only_for_what_it_fixes(capsys, tmp_path):
    """Under `national`, visits, seen alone and later core groups are local settings with no
    citation; only the four Working Together timescales cite it."""
    rows = check(
        capsys,
        tmp_path,
        "national",
        D(2026, 7, 1),
        cp_plans=[plan()],
        conferences=[
            {
                "id": 1,
                "child_id": "C1",
                "type": "initial",
                "plan_id": 1,
                "scheduled_date": D(2026, 6, 1),
                "held_date": D(2026, 6, 1),
                "outcome": "cp_plan",
                "category": "NEG",
            }
        ],
        visits=[{"id": 1, "child_id": "C1", "plan_id": 1, "date": D(2026, 6, 1)}],
        core_groups=[{"id": 1, "child_id": "C1", "plan_id": 1, "date": D(2026, 6, 10)}],
    )
    fixed = {
        "icpc_within_15wd",
        "first_review_within_3m",
        "review_within_6m",
        "first_core_group_within_10wd",
    }
    for row in rows:
        cites_wt = "working-together" in row["citation"]
        assert cites_wt == (row["rule_id"] in fixed), row["rule_id"]
    visit = only(rows, "visit_frequency", 2)
    assert ("local", "local setting") == (visit["basis"], visit["citation"])
    assert visit["basis_text"].startswith("local setting, cptrack's default")


def test_on_the_demo_working_together_is_cited_only_for_what_it_fixes(demo_db, capsys):
    """`cptrack check --profile national` over the demo: every finding citing Working Together
    2023 is one of the four figures it fixes; every other finding names its real basis (the
    DfE statistics, the plan's own record, or a local setting said in words)."""
    code = main(
        [
            "check",
            "--db",
            demo_db,
            "--profile",
            "national",
            "--as-of",
            "2026-11-23",
            "--format",
            "csv",
        ]
    )
    out, err = capsys.readouterr()
    assert 0 == code, err
    rows = list(csv.DictReader(io.StringIO(out)))
    fixed = {
        "icpc_within_15wd",
        "first_review_within_3m",
        "review_within_6m",
        "first_core_group_within_10wd",
    }
    cites_wt = {r["rule_id"] for r in rows if "working-together" in r["citation"]}
    assert cites_wt <= fixed and cites_wt
    for r in rows:
        if r["rule_id"] not in fixed:
            assert r["basis"] in ("national", "plan", "local"), r
            assert "Working Together" not in r["basis_text"], r
        if r["basis"] == "local":
            assert "no national guidance or seed standard gives this figure" in r["basis_text"]
