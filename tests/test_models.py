"""Record validation: good records pass, bad ones are refused naming the field."""

from __future__ import annotations

import datetime as dt

import pytest

from cptrack.domain import models
from cptrack.domain.models import RecordError, today

CHILD = {"id": "C1", "given_name": "Ada", "family_name": "Synth", "date_of_birth": "2019-04-02"}
PLAN = {
    "child_id": "C1",
    "start_date": "2025-01-10",
    "initial_category": "NEG",
    "latest_category": "NEG",
}


def refusal(cls: type[models.Record], data: dict) -> dict[str, list[str]]:
    with pytest.raises(RecordError) as caught:
        cls.check(data)
    return caught.value.by_field()


def test_a_good_child_passes_with_defaults():
    """A child with the required fields validates and gets sensible defaults."""
    child = models.Child.check(CHILD)
    assert "English" == child.first_language
    assert dt.date(2019, 4, 2) == child.date_of_birth
    assert 1 == child.version


def test_an_unborn_child_needs_an_expected_date_of_delivery():
    """A child with no date of birth needs an EDD; the error names date_of_birth."""
    data = {**CHILD, "date_of_birth": None}
    assert "date_of_birth" in refusal(models.Child, data)
    assert models.Child.check({**data, "expected_date_of_delivery": "2027-01-15"})


def test_a_date_of_birth_in_the_future_is_refused():
    """A future date of birth is refused, pointing to the EDD instead."""
    future = (today() + dt.timedelta(days=30)).isoformat()
    messages = refusal(models.Child, {**CHILD, "date_of_birth": future})
    assert "expected date of delivery" in messages["date_of_birth"][0]


@pytest.mark.parametrize("year", [1900, 2100])
def test_implausible_years_are_refused(year):
    """Dates in 1900 or 2100 are refused as typing mistakes, naming the field."""
    messages = refusal(models.CpPlan, {**PLAN, "start_date": f"{year}-03-01"})
    assert ["start_date"] == list(messages)


def test_an_unknown_category_code_names_the_field_and_the_codes():
    """An unknown category lists the codes that are allowed."""
    messages = refusal(models.CpPlan, {**PLAN, "initial_category": "XYZ"})
    assert "'XYZ' is not a known code" in messages["initial_category"][0]
    assert "NEG" in messages["initial_category"][0]


@pytest.mark.parametrize("end", ["2025-01-10", "2025-01-01"])
def test_a_plan_cannot_end_on_or_before_its_start(end):
    """DfE rules 8840 and 8925: a plan ends after it starts."""
    messages = refusal(models.CpPlan, {**PLAN, "end_date": end})
    assert "8840" in messages["end_date"][0]


def test_every_problem_is_reported_at_once():
    """Several bad fields give one message each, not just the first."""
    messages = refusal(
        models.Conference,
        {"child_id": "C1", "type": "sideways", "scheduled_date": "31/02/2025", "venue": "moon"},
    )
    assert {"type", "scheduled_date", "venue"} == set(messages)


def test_unknown_fields_are_refused():
    """A misspelt field is an error, not silently dropped."""
    assert "colour" in refusal(models.Child, {**CHILD, "colour": "blue"})


def test_seen_alone_implies_seen():
    """A child seen alone was seen."""
    data = {"child_id": "C1", "date": "2025-02-03", "seen": False, "seen_alone": True}
    assert "seen_alone" in refusal(models.Visit, data)


def test_review_outcomes_belong_to_reviews():
    """An initial conference cannot 'continue' a plan; a review cannot make one."""
    base = {
        "child_id": "C1",
        "scheduled_date": "2025-02-03",
        "held_date": "2025-02-03",
        "category": "NEG",
    }
    assert "outcome" in refusal(
        models.Conference, {**base, "type": "initial", "outcome": "plan_continues"}
    )
    assert "outcome" in refusal(models.Conference, {**base, "type": "review", "outcome": "cp_plan"})


def test_a_plan_decision_needs_a_category():
    """A conference that makes a plan records the category."""
    data = {
        "child_id": "C1",
        "type": "initial",
        "scheduled_date": "2025-02-03",
        "held_date": "2025-02-03",
        "outcome": "cp_plan",
    }
    assert "category" in refusal(models.Conference, data)


def test_a_done_action_has_a_completed_date():
    """Actions marked done say when."""
    data = {
        "child_id": "C1",
        "description": "Parenting assessment",
        "owner": "Social worker",
        "due_date": "2025-03-01",
        "status": "done",
    }
    assert "completed_date" in refusal(models.PlanAction, data)


def test_blank_text_counts_as_missing():
    """Whitespace-only optional text is stored as nothing."""
    child = models.Child.check({**CHILD, "social_worker": "   "})
    assert child.social_worker is None


def test_every_kind_has_a_table_and_label():
    """Each record kind declares its table and a label for messages."""
    for record in models.KINDS:
        assert record.table and record.label
        assert record is models.kind(record.table)
    with pytest.raises(KeyError, match="no record kind"):
        models.kind("nonsense")


def test_the_clock_reads_cptrack_today_and_refuses_a_bad_one(monkeypatch):
    """``CPTRACK_TODAY`` fixes "today" for every page and command; unset, it is the real
    date; a value that is not a date is refused naming the variable."""
    monkeypatch.setenv("CPTRACK_TODAY", "2028-02-29")
    assert dt.date(2028, 2, 29) == today()
    monkeypatch.delenv("CPTRACK_TODAY")
    assert dt.date.today() == today()
    monkeypatch.setenv("CPTRACK_TODAY", "29/02/2028")
    with pytest.raises(ValueError, match="CPTRACK_TODAY"):
        today()
