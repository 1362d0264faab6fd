"""The conference record form's model: what it refuses (citing the standard), what one save
writes, and what the engine then says is due."""

from __future__ import annotations

import datetime as dt

import meetingcase as mc
import pytest
import sqlalchemy as sa

from cptrack.caseload import load
from cptrack.casework.conference import agenda
from cptrack.casework.conference.record import dates, opening, saving
from cptrack.casework.conference.record.draft import ActionRow, AttendeeRow, RecordDraft
from cptrack.domain.models import RecordError
from cptrack.rules import profiles, workdays
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store
from cptrack.storage.tables import TABLES

D = dt.date
NATIONAL = profiles.load("national")
HELD = mc.ICPC_DAY


@pytest.fixture
def seeded(store: Store) -> Store:
    mc.seed(store)
    return store


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> RecordDraft:
    """The ICPC's form, opened once from an SQLite copy (for checks that write nothing)."""
    with Store.open(str(tmp_path_factory.mktemp("rec") / "c.sqlite"), migrate=True) as store:
        mc.seed(store)
        return _open(store)


def _open(store: Store, conference_id: int = mc.ICPC, profile=NATIONAL) -> RecordDraft:
    return opening.open_draft(agenda.open_conference(store, conference_id, profile, mc.TODAY))


def _people(*agencies: str, **overrides) -> list[AttendeeRow]:
    base = {"status": "attended", "scaling_score": 3, "view": "cp_plan"}
    return [AttendeeRow(agency=a, **{**base, **overrides.get(a, {})}) for a in agencies]


def _plan_made(draft: RecordDraft, **kw) -> RecordDraft:
    values = {
        "held_date": HELD,
        "attendance": _people("social_care", "police", "school"),
        "outcome": "cp_plan",
        "category": "NEG",
        "worried_about": "Ola has bruises no one can explain.",
        "working_well": "School is a safe place.",
        "child_views": "Ola wants the shouting to stop.",
        "needs_to_happen": "Adults show safe care.",
        "danger_statements": "Ola may be hurt if nothing changes.",
        "safety_goals": "Ola is safe at home.",
        "core_group_members": "Social worker, school, parents",
        "first_core_group_date": D(2026, 11, 24),
        "next_review_date": D(2027, 2, 12),
        "visit_frequency_wd": 10,
        "contingency_plan": "If Ola is hurt again, a legal planning meeting is called.",
        "actions": [
            ActionRow(
                "Book a paediatric assessment", "Social worker", "social_care", D(2026, 11, 27)
            )
        ],
    }
    values.update(kw)
    return draft.with_values(**values)


def _snapshot(store: Store) -> dict:
    out = {}
    with store.engine.connect() as conn:
        for name in (
            "conferences",
            "cp_plans",
            "core_groups",
            "attendance",
            "plan_actions",
            "audit_log",
        ):
            out[name] = conn.execute(sa.text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
    return out


def test_an_icpc_that_makes_a_plan_books_the_core_group_and_the_review(seeded: Store):
    """One save: the plan, attendance, the core group and review booked, the actions; the
    engine then has the first core group due 10 working days and the first review 3 months
    after the conference (national profile), booked on the dates the conference set."""
    saved = saving.save(seeded, _plan_made(_open(seeded)), mc.TODAY)
    plan = seeded.get("cp_plans", saved.plan["id"])
    assert (HELD, "NEG", "NEG", 10) == (
        plan["start_date"],
        plan["initial_category"],
        plan["latest_category"],
        plan["visit_frequency_wd"],
    )
    conf = seeded.get("conferences", mc.ICPC)
    assert (HELD, "cp_plan", plan["id"], True) == (
        conf["held_date"],
        conf["outcome"],
        conf["plan_id"],
        conf["quorate"],
    )
    assert "scheduled" == saved.core_group["status"]
    assert D(2027, 2, 12) == saved.next_review["scheduled_date"]
    assert 3 == len(seeded.rows("attendance", conference_id=mc.ICPC))
    actions = seeded.rows("plan_actions", source_record_id=mc.ICPC)
    assert [("conference", plan["id"])] == [(a["source"], a["plan_id"]) for a in actions]
    schedule, findings = dates.schedule(seeded, "C1", NATIONAL, mc.TODAY)
    row = schedule.iloc[0]
    assert workdays.add_working_days(HELD, 10) == row["next_core_group_due"].date()
    assert workdays.add_months(HELD, 3) == row["next_review_due"].date()
    assert (
        D(2026, 11, 24)
        == findings[findings["rule_id"] == "first_core_group_within_10wd"]["booked_date"]
        .iloc[0]
        .date()
    )
    assert "Core group booked for 24 Nov 2026" in saved.message


def test_the_suggested_dates_come_from_the_profile():
    """The form proposes the dates the profile's rules give: national 10 working days and
    3 months after an initial conference; 6 months after a review."""
    proposed = dates.suggested_dates(NATIONAL, "initial", HELD)
    assert (
        workdays.add_working_days(HELD, 10)
        == proposed["core_group"].due
        == proposed["core_group"].book
    )
    assert (D(2027, 2, 13), D(2027, 2, 12)) == (
        proposed["review"].due,
        proposed["review"].book,
    )  # a Saturday
    assert D(2027, 5, 13) == dates.suggested_dates(NATIONAL, "review", HELD)["review"].due
    assert "Due by 13 Feb 2027 under National" in proposed["review"].words(NATIONAL)


@pytest.mark.parametrize(
    ("change", "field", "cited"),
    [
        ({"contingency_plan": ""}, "contingency_plan", "002 standard 10"),
        ({"first_core_group_date": None}, "first_core_group_date", "002 standard 7"),
        ({"core_group_members": ""}, "core_group_members", "002 standard 7"),
        ({"next_review_date": None}, "next_review_date", "002 standard 8"),
        ({"visit_frequency_wd": None}, "visit_frequency_wd", "002 standard 9"),
        ({"actions": []}, "actions", "003 §5.2"),
        ({"worried_about": ""}, "worried_about", "001"),
        ({"child_views": ""}, "child_views", "003 §3.9"),
        (
            {"attendance": _people("social_care", "police", "school", school={"view": "no_view"})},
            "attendance.3.view",
            "002 standard 4",
        ),
        (
            {
                "attendance": _people(
                    "social_care", "police", "school", police={"scaling_score": None}
                )
            },
            "attendance.2.scaling_score",
            "001",
        ),
        (
            {"attendance": _people("social_care", "police", "school", police={"dissent": True})},
            "dissent_detail",
            "002 standard 6",
        ),
        ({"attendance": _people("social_care", "police")}, "attendance", "003 §4.2"),
        ({"attendance": _people("police", "school", "gp")}, "attendance", "003 §4.3"),
        ({"category": None}, "category", "category of abuse"),
        ({"outcome": "plan_continues"}, "outcome", "Choose the decision"),
        ({"type": "review"}, "type", "a review stays a review"),
    ],
)
def test_a_plan_without_what_the_standards_require_is_refused(draft, change, field, cited):
    """Each missing part is refused by its field, and the message cites the standard."""
    messages = RecordError("x", _plan_made(draft, **change).problems(mc.TODAY)).by_field()
    assert field in messages, messages
    assert any(cited in m for m in messages[field])


def test_the_refusal_for_a_missing_contingency_plan_cites_002_standard_10(seeded):
    """The words a chair reads; nothing is written."""
    before = _snapshot(seeded)
    with pytest.raises(RecordError) as refused:
        saving.save(seeded, _plan_made(_open(seeded), contingency_plan=""), mc.TODAY)
    assert [
        "A plan needs a contingency plan, specific to the child's circumstances [002 standard 10]."
    ] == refused.value.by_field()["contingency_plan"]
    assert before == _snapshot(seeded)


def test_quoracy_counts_social_care_and_two_other_agencies():
    """Family and apologies do not count; two other agencies do."""
    draft = RecordDraft(1, "C1", 1, HELD, "initial")
    family = AttendeeRow(agency="family", status="attended")
    apologies = AttendeeRow(agency="gp", status="apologies_report_sent")
    assert not draft.with_values(
        attendance=[*_people("social_care", "police"), family, apologies]
    ).quorum()[0]
    ok, words = draft.with_values(attendance=_people("social_care", "police", "school")).quorum()
    assert ok and "Police, School (2; at least 2 needed)" in words


def test_a_stood_down_conference_needs_a_bridging_plan_and_reconvenes(seeded):
    """Stood down: no decision, a reason, a bridging plan and a date to reconvene, which is
    booked as a new conference; without them it is refused (003 §4.3-4.4)."""
    draft = _open(seeded).with_values(
        held_date=HELD, stood_down=True, attendance=_people("police", "school")
    )
    with pytest.raises(RecordError) as refused:
        saving.save(seeded, draft, mc.TODAY)
    errors = refused.value.by_field()
    assert {"stood_down_reason", "bridging_plan", "reconvene_date"} <= set(errors)
    assert any("003 §4.4" in m for m in errors["bridging_plan"])
    draft = draft.with_values(
        stood_down_reason="No social work report; social care absent.",
        bridging_plan="Social worker visits twice weekly until we meet.",
        reconvene_date=D(2026, 11, 20),
    )
    saved = saving.save(seeded, draft, mc.TODAY)
    conf = seeded.get("conferences", mc.ICPC)
    assert (True, None, None, HELD) == (
        conf["stood_down"],
        conf["outcome"],
        conf["held_date"],
        conf["scheduled_date"],
    )
    assert (D(2026, 11, 20), "initial", 1) == (
        saved.reconvened["scheduled_date"],
        saved.reconvened["type"],
        saved.reconvened["s47_id"],
    )
    assert "reconvenes on 20 Nov 2026" in saved.message


def test_a_review_that_continues_the_plan_updates_it_and_books_the_next(seeded):
    """plan_continues: the plan takes the new category and frequency; the next review is
    booked; the scheduled core group is booked when a date is set."""
    draft = _open(seeded, mc.C2_REVIEW)
    assert ("NEG", 10, "Social worker, school, parents") == (
        draft.category,
        draft.visit_frequency_wd,
        draft.core_group_members,
    )
    draft = _plan_made(
        draft,
        held_date=D(2026, 11, 13),
        outcome="plan_continues",
        category="EMO",
        visit_frequency_wd=15,
        next_review_date=D(2027, 5, 13),
        first_core_group_date=None,
    )
    saved = saving.save(seeded, draft, mc.TODAY)
    plan = seeded.get("cp_plans", 7)
    assert ("NEG", "EMO", 15) == (
        plan["initial_category"],
        plan["latest_category"],
        plan["visit_frequency_wd"],
    )
    assert D(2027, 5, 13) == saved.next_review["scheduled_date"]
    assert saved.core_group is None


def test_a_review_that_ends_the_plan_steps_down_to_a_child_in_need_plan(seeded):
    """plan_ends with step-down: the plan ends that day with its reason and a CIN plan
    starts (003 §5.3); the arrangements for a plan are not asked for."""
    draft = _open(seeded, mc.C2_REVIEW).with_values(
        held_date=D(2026, 11, 13),
        attendance=_people("social_care", "police", "school"),
        outcome="plan_ends",
        worried_about="Less than before.",
        needs_to_happen="CIN support.",
        child_views="Kim is happy at home.",
    )
    with pytest.raises(RecordError) as refused:
        saving.save(seeded, draft, mc.TODAY)
    assert ["end_reason"] == list(refused.value.by_field())
    saving.save(seeded, draft.with_values(end_reason="step_down_cin"), mc.TODAY)
    plan = seeded.get("cp_plans", 7)
    assert (D(2026, 11, 13), "step_down_cin") == (plan["end_date"], plan["end_reason"])
    assert 1 == len(seeded.rows("cin_plans", child_id="C2"))


def test_every_write_is_audited_and_a_stale_record_is_refused(seeded):
    """Two chairs open the same conference; the first save is audited as one transaction,
    the second is refused and changes nothing."""
    first, second = _open(seeded), _open(seeded)
    saving.save(seeded, _plan_made(first), mc.TODAY)
    notes = {a["note"] for a in seeded.audit() if a["table_name"] != "teams"} - {"test seed"}
    assert {"conference record"} == notes
    kinds = {a["table_name"] for a in seeded.audit() if a["note"] == "conference record"}
    assert {"conferences", "cp_plans", "attendance", "core_groups", "plan_actions"} <= kinds
    before = _snapshot(seeded)
    with pytest.raises(StaleVersionError):
        saving.save(seeded, _plan_made(second, category="PHY"), mc.TODAY)
    assert before == _snapshot(seeded)


def test_amending_a_saved_record_updates_in_place(seeded):
    """Reopened after saving, the form holds the record; a change updates the same plan,
    core group and review rather than adding new ones."""
    saving.save(seeded, _plan_made(_open(seeded)), mc.TODAY)
    again = _open(seeded)
    assert ("cp_plan", 3, 1) == (again.outcome, len(again.attendance), len(again.actions))
    saving.save(
        seeded,
        again.with_values(first_core_group_date=D(2026, 11, 25), next_review_date=D(2027, 2, 10)),
        mc.TODAY,
    )
    c = TABLES["conferences"]
    with seeded.engine.connect() as conn:
        booked = (
            conn.execute(
                sa.select(c.c.scheduled_date).where(c.c.child_id == "C1", c.c.held_date.is_(None))
            )
            .scalars()
            .all()
        )
    assert [D(2027, 2, 10)] == booked
    assert [D(2026, 11, 25)] == [r["date"] for r in seeded.rows("core_groups", child_id="C1")]
    assert 1 == len(seeded.rows("cp_plans", child_id="C1"))
    with pytest.raises(RecordError) as refused:
        saving.save(seeded, _open(seeded).with_values(outcome="cin_plan"), mc.TODAY)
    assert "cannot be changed here" in refused.value.by_field()["outcome"][0]


def test_the_open_plan_rule_is_shown_against_the_decision(seeded):
    """A second open plan for the same child is refused by the store (DfE 8935) and the
    message lands on the decision."""
    seeded.add(
        "cp_plans",
        {
            "child_id": "C1",
            "start_date": D(2026, 1, 5),
            "initial_category": "NEG",
            "latest_category": "NEG",
        },
    )
    with pytest.raises(RecordError) as refused:
        saving.save(seeded, _plan_made(_open(seeded)), mc.TODAY)
    assert "8935" in refused.value.by_field()["outcome"][0]
    assert 1 == len(load(seeded, child_ids=["C1"]).cp_plans)
