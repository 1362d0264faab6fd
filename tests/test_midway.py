"""The midway review's model: who is due, what is pre-filled, what is refused, and a save
that turns the engine's midway finding met."""

from __future__ import annotations

import datetime as dt

import meetingcase as mc
import pytest

from cptrack.caseload import load
from cptrack.casework import escalation_log
from cptrack.casework.midway import due as midway_due
from cptrack.casework.midway import opening as midway_opening
from cptrack.casework.midway import saving as midway_saving
from cptrack.casework.midway.draft import ActionRow, MidwayDraft, OutcomeRow
from cptrack.casework.midway.opening import MidwayFile
from cptrack.domain.models import RecordError
from cptrack.rules import profiles
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store

D = dt.date
DORSET = profiles.load("dorset")  # holds a midway review rule (004 §4.14)
NATIONAL = profiles.load("national")  # does not
EARLY = D(2026, 10, 5)  # before C2's midpoint (9 Oct)


@pytest.fixture
def seeded(store: Store) -> Store:
    mc.seed(store)
    return store


@pytest.fixture(scope="module")
def file(tmp_path_factory) -> MidwayFile:
    """C2's midway review, opened once from an SQLite copy (for checks that write nothing)."""
    with Store.open(str(tmp_path_factory.mktemp("mw") / "m.sqlite"), migrate=True) as store:
        mc.seed(store)
        return midway_opening.open_review(store, "C2", DORSET, mc.TODAY)


def _complete(draft: MidwayDraft, **kw) -> MidwayDraft:
    values = {
        "outcomes": [
            OutcomeRow(
                "Kim lives free from violence.", "amber", "No police call-outs since September."
            ),
            OutcomeRow("Kim goes to school every day.", "green", "Attendance 98%."),
        ],
        "risks_reducing": "partly",
        "risks_evidence": "Father has left the home; contact is supervised.",
        "child_voice_heard": True,
        "child_voice_evidence": "Seen alone on three visits; her words are in the plan.",
        "contingency_still_right": True,
        "decision": "on_track",
        "actions": [
            ActionRow(
                "Check school attendance weekly",
                "School",
                "school",
                (draft.date or EARLY) + dt.timedelta(days=14),
            )
        ],
    }
    values.update(kw)
    return draft.with_values(**values)


def test_the_list_holds_children_whose_midway_review_is_due_or_overdue(seeded):
    """Dorset checks midway reviews: C2's, due by the end of its window on 16 Oct (60% of the
    way to the review), is overdue on 16 Nov; C1 has no plan."""
    rows = midway_due.due_list(load(seeded), DORSET, mc.TODAY)
    assert ["C2"] == rows["child_id"].tolist()
    row = rows.iloc[0]
    assert (D(2026, 10, 16), "overdue", "red", True) == (
        row["due_date"].date(),
        row["status"],
        row["rag"],
        row["checked"],
    )
    assert "004 §4.14" == row["citation"] and "Kim Synth" == row["name"]
    assert "Alex Chair" == row["chair"]
    assert rows.equals(midway_due.due_list(load(seeded), DORSET, mc.TODAY, chair_id=mc.CHAIR))
    assert midway_due.due_list(load(seeded), DORSET, mc.TODAY, chair_id=99).empty


def test_a_profile_without_a_midway_standard_still_lists_midway_points(seeded):
    """National has no midway rule: the engine's midway point is listed, marked unchecked."""
    row = midway_due.due_list(load(seeded), NATIONAL, mc.TODAY).iloc[0]
    assert ("C2", False, "midway point passed") == (
        row["child_id"],
        row["checked"],
        row["status_text"],
    )


def test_the_form_is_prefilled_from_the_records(seeded):
    """Outcomes from the conference's safety goals; core groups, visits and the overdue
    action from the records; the compliance boxes written for the chair to check."""
    file = midway_opening.open_review(seeded, "C2", DORSET, mc.TODAY)
    draft = midway_opening.fill_compliance(file)
    assert ["Kim lives free from violence.", "Kim goes to school every day."] == [
        o.outcome for o in draft.outcomes
    ]
    assert (7, mc.C2_ICPC, mc.PLAN_DAY, mc.TODAY) == (
        draft.plan_id,
        draft.conference_id,
        draft.conference_date,
        draft.date,
    )
    assert draft.core_group_compliance.startswith(
        "2 core groups held since the conference on 24 Aug 2026 (last on 15 Oct 2026)"
    )
    assert "6 visits since 24 Aug 2026: seen 6 times, seen alone 3 times" in draft.visit_compliance
    assert ["Refer to parenting course"] == file.actions_overdue()["description"].tolist()
    assert "overdue" == file.midway["status"]
    assert file.open_findings()["rag"].isin(("red", "amber")).all()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"outcomes": []}, "outcomes", "004 §4.14"),
        (
            {"outcomes": [OutcomeRow("Safe at home", "amber", "")]},
            "outcomes.1.evidence",
            "what has changed for the child",
        ),
        (
            {"outcomes": [OutcomeRow("Safe at home", None, "Calmer")]},
            "outcomes.1.rag",
            "red, amber or green",
        ),
        ({"risks_reducing": None}, "risks_reducing", "002 standard 3"),
        ({"risks_evidence": ""}, "risks_evidence", "002 standard 3"),
        ({"child_voice_heard": None}, "child_voice_heard", "003 §3.9"),
        ({"child_voice_evidence": ""}, "child_voice_evidence", "003 §3.9"),
        ({"contingency_still_right": False}, "contingency_note", "002 guidance 9"),
        ({"decision": None}, "decision", "Choose the decision"),
        ({"decision": "bring_review_forward"}, "decision_rationale", "reasons"),
        ({"decision": "escalate", "decision_rationale": "Drift"}, "escalation", "004 §4.15"),
        ({"date": D(2026, 8, 20)}, "date", "after the conference"),
        ({"date": D(2026, 11, 17)}, "date", "in the future"),
        ({"actions": [ActionRow("Call", "", None, D(2026, 12, 1))]}, "actions.1.owner", "who"),
    ],
)
def test_the_form_refuses_what_is_missing(file, change, field, words):
    """Judgement with evidence, not only compliance: each gap is named and cited."""
    problems = _complete(file.draft, **change).problems(DORSET, mc.TODAY)
    found = RecordError("x", problems).by_field()
    assert field in found, found
    assert any(words in m for m in found[field])


def test_saving_turns_the_midway_finding_met_and_adds_the_actions(seeded):
    """Saved before the midpoint: the engine's midway finding is met; the action is a plan
    action from the midway review; the review is in the child's caseload; one audited
    transaction."""
    file = midway_opening.open_review(seeded, "C2", DORSET, EARLY)
    assert "due" == file.midway["status"]
    saved = midway_saving.save(
        seeded, _complete(midway_opening.fill_compliance(file)), DORSET, EARLY
    )
    after = midway_opening.open_review(seeded, "C2", DORSET, EARLY)
    assert ("met", "met") == (after.midway["status"], after.midway["status_text"])
    caseload = load(seeded, child_ids=["C2"])
    assert [saved.record["id"]] == caseload.midway_reviews["id"].tolist()
    action = seeded.rows("plan_actions", source="midway_review")[0]
    assert (saved.record["id"], 7, EARLY) == (
        action["source_record_id"],
        action["plan_id"],
        action["set_date"],
    )
    notes = {(a["table_name"], a["note"]) for a in seeded.audit() if a["note"] != "test seed"}
    assert {("midway_reviews", "midway review"), ("plan_actions", "midway review")} == notes
    assert after.draft.amending and after.draft.record_id == saved.record["id"]
    assert midway_due.due_list(load(seeded), DORSET, EARLY).empty


def test_a_decision_to_escalate_opens_the_escalation_in_the_same_save(seeded):
    """The escalation is saved with the review, linked to it; its problems are refused under
    the form's escalation fields, and nothing is written then."""
    file = midway_opening.open_review(seeded, "C2", DORSET, mc.TODAY)
    esc = midway_opening.new_escalation(file)
    assert ("relevant practitioner", D(2026, 11, 23)) == (esc.stage, esc.response_due)
    draft = _complete(
        file.draft, decision="escalate", decision_rationale="Plan drifting.", escalation=esc
    )
    with pytest.raises(RecordError) as refused:
        midway_saving.save(seeded, draft, DORSET, mc.TODAY)
    assert {"escalation.reason", "escalation.raised_with"} == set(refused.value.by_field())
    assert 0 == seeded.count("midway_reviews")
    draft = draft.with_values(
        escalation=esc.with_values(reason="Core groups lapsed.", raised_with="Team manager B")
    )
    saved = midway_saving.save(seeded, draft, DORSET, mc.TODAY)
    stored = seeded.get("escalations", saved.escalation["id"])
    assert ("midway_review", saved.record["id"]) == (
        stored["source_kind"],
        stored["source_record_id"],
    )
    assert "response is due by 23 Nov 2026" in saved.message
    again = midway_opening.open_review(seeded, "C2", DORSET, mc.TODAY)
    assert stored["id"] == again.draft.escalation_id and not again.draft.opens_escalation
    log = escalation_log.log(load(seeded), DORSET, D(2026, 11, 24))
    assert ("overdue", "red") == (log.iloc[0]["finding_status"], log.iloc[0]["rag"])


def test_an_amendment_from_an_old_version_is_refused(seeded):
    """Two chairs open the saved review; the second amendment is refused, nothing changes."""
    midway_saving.save(
        seeded,
        _complete(midway_opening.open_review(seeded, "C2", DORSET, mc.TODAY).draft),
        DORSET,
        mc.TODAY,
    )
    one = midway_opening.open_review(seeded, "C2", DORSET, mc.TODAY).draft
    two = midway_opening.open_review(seeded, "C2", DORSET, mc.TODAY).draft
    midway_saving.save(
        seeded, one.with_values(decision_rationale="Reviewed again."), DORSET, mc.TODAY
    )
    with pytest.raises(StaleVersionError):
        midway_saving.save(seeded, two.with_values(risks_reducing="no"), DORSET, mc.TODAY)
    stored = seeded.rows("midway_reviews")[0]
    assert ("partly", 2) == (stored["risks_reducing"], stored["version"])
