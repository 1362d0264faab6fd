"""The escalation log: defaults from the profile, validation, audited saves, overdue responses."""

from __future__ import annotations

import datetime as dt

import pytest

from cptrack.caseload import load
from cptrack.casework import escalation_log, escalations
from cptrack.cli import main
from cptrack.domain.models import RecordError
from cptrack.rules import profiles
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store

D = dt.date
MONDAY = D(2026, 11, 16)
NATIONAL = profiles.load("national")
DORSET = profiles.load("dorset")


def _child(store: Store) -> None:
    store.add(
        "children",
        {"id": "C1", "given_name": "Sam", "family_name": "Test", "date_of_birth": D(2018, 3, 1)},
    )


def _draft(**kw) -> escalations.EscalationDraft:
    draft = escalations.new_draft(NATIONAL, "C1", on=MONDAY, source_kind="escalation_log")
    values = {"reason": "Visits have lapsed for three weeks.", "raised_with": "Team manager A"}
    return draft.with_values(**{**values, **kw})


def test_a_new_escalation_proposes_the_profiles_first_stage_and_response_date():
    """Raised on a Monday, the response is due 5 working days later, at the first stage."""
    draft = escalations.new_draft(NATIONAL, "C1", on=MONDAY)
    assert "informal" == draft.stage
    assert D(2026, 11, 23) == draft.response_due
    assert "relevant practitioner" == escalations.new_draft(DORSET, "C1", on=MONDAY).stage


def test_the_response_date_follows_the_profiles_setting():
    """A profile that allows 3 working days proposes 3 (counting over a weekend)."""
    mine = profiles.from_dict(
        {
            "extends": "national",
            "authority": {"name": "Mine"},
            "settings": {"escalation_response_wd": 3},
        },
        profile_id="mine",
    )
    assert D(2026, 11, 23) == escalations.response_due(mine, D(2026, 11, 18))


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"reason": ""}, "reason", "Say what the concern is"),
        ({"raised_with": ""}, "raised_with", "Say who"),
        ({"stage": "director"}, "stage", "informal, team manager"),
        ({"stage": ""}, "stage", "Choose the stage"),
        ({"raised_on": D(2026, 11, 17)}, "raised_on", "in the future"),
        ({"response_due": D(2026, 11, 13)}, "response_due", "before the escalation was raised"),
        ({"response_due": None}, "response_due", "Give the date"),
        ({"response": "Visits restarted."}, "response_date", "Give the date of the response"),
        ({"response_date": MONDAY}, "response", "Record what the response was"),
        ({"status": "resolved"}, "outcome", "Say how the escalation was resolved"),
        ({"status": "resolved", "outcome": "Fixed"}, "response_date", "resolved escalation"),
        ({"status": "withdrawn"}, "outcome", "withdrawn"),
    ],
)
def test_the_form_refuses_what_is_missing_or_wrong(change, field, words):
    """Each refusal names its field and says what to do."""
    problems = _draft(**change).problems(NATIONAL, MONDAY)
    assert field in [p.field for p in problems]
    assert any(words in p.message for p in problems if p.field == field)


def test_a_complete_draft_has_no_problems():
    """The defaults plus a reason and a person are enough to open an escalation."""
    assert [] == _draft().problems(NATIONAL, MONDAY)


def test_opening_is_one_audited_write_and_a_refusal_writes_nothing(store: Store):
    """A saved escalation has its audit row; a refused one leaves no row and no audit."""
    _child(store)
    before = len(store.audit())
    with pytest.raises(RecordError) as refused:
        escalations.save(store, _draft(reason=""), NATIONAL, MONDAY)
    assert "reason" in refused.value.by_field()
    assert before == len(store.audit()) and 0 == store.count("escalations")
    row = escalations.save(store, _draft(), NATIONAL, MONDAY)
    audit = store.audit("escalations", row["id"])
    assert ["insert"] == [a["action"] for a in audit]
    assert "test-user" == audit[0]["user"]
    assert "escalation_log" == store.get("escalations", row["id"])["source_kind"]


def test_recording_the_response_refuses_a_stale_version(store: Store):
    """Two people open the same escalation; the second save is refused and nothing changes."""
    _child(store)
    row = escalations.save(store, _draft(), NATIONAL, MONDAY)
    first = escalations.open_draft(store.get("escalations", row["id"]))
    second = escalations.open_draft(store.get("escalations", row["id"]))
    done = first.with_values(
        response="Visits restarted.",
        response_date=D(2026, 11, 19),
        status="resolved",
        outcome="Resolved by the team manager",
    )
    escalations.save(store, done, NATIONAL, D(2026, 11, 20))
    with pytest.raises(StaleVersionError):
        escalations.save(
            store,
            second.with_values(outcome="Withdrawn", status="withdrawn"),
            NATIONAL,
            D(2026, 11, 20),
        )
    stored = store.get("escalations", row["id"])
    assert ("resolved", 2) == (stored["status"], stored["version"])
    assert ["insert", "update"] == [a["action"] for a in store.audit("escalations", row["id"])]


def test_an_open_escalation_is_red_once_its_response_date_has_passed(store: Store):
    """Due on the 23rd: due (amber) on the 20th, overdue (red) on the 24th, met once answered."""
    _child(store)
    row = escalations.save(store, _draft(), NATIONAL, MONDAY)
    caseload = load(store)
    before = escalation_log.log(caseload, NATIONAL, D(2026, 11, 20)).iloc[0]
    after = escalation_log.log(caseload, NATIONAL, D(2026, 11, 24)).iloc[0]
    assert ("due", "amber") == (before["finding_status"], before["rag"])
    assert ("overdue", "red") == (after["finding_status"], after["rag"])
    assert "overdue by 1 working day" == after["status_text"]
    assert after["basis_text"].startswith("the escalation's own record: the response date agreed")
    answered = escalations.open_draft(store.get("escalations", row["id"])).with_values(
        response="Visits restarted.", response_date=D(2026, 11, 20)
    )
    escalations.save(store, answered, NATIONAL, D(2026, 11, 24))
    assert (
        "met"
        == escalation_log.log(load(store), NATIONAL, D(2026, 11, 24)).iloc[0]["finding_status"]
    )


def test_the_cli_lists_open_escalations_with_overdue_responses(store: Store, capsys):
    """`cptrack escalations --open` shows the open one as overdue, and the rule's source."""
    _child(store)
    escalations.save(store, _draft(), NATIONAL, MONDAY)
    resolved = _draft(
        response="Done.", response_date=D(2026, 11, 16), status="resolved", outcome="Resolved"
    )
    escalations.save(store, resolved, NATIONAL, MONDAY)
    code = main(
        ["escalations", "--db", store.url.replace("***", ""), "--open", "--as-of", "2026-11-25"]
    )
    out = capsys.readouterr().out
    assert 0 == code
    assert "1 open escalations as at 25 Nov 2026; 1 with the response overdue" in out
    assert "overdue by 2 working days" in out
    assert "Working Together 2023" in out
    assert 0 == main(["escalations", "--db", store.url, "--format", "csv", "--as-of", "2026-11-25"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert 3 == len(lines) and lines[0].startswith("id,child_id")
