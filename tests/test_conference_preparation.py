"""The conference preparation form's model: the checklist answered from the records, the
reports against the profile's deadlines, one audited save, stale versions refused."""

from __future__ import annotations

import datetime as dt

import meetingcase as mc
import pytest

from cptrack.casework.conference import agenda
from cptrack.casework.conference import preparation as prep
from cptrack.domain.models import RecordError
from cptrack.rules import profiles
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store

D = dt.date
LBH = profiles.load("lbh")  # reports to the chair 3 working days before; to the family 48 hours


@pytest.fixture
def seeded(store: Store) -> Store:
    mc.seed(store)
    return store


def _file(store: Store, profile=LBH) -> agenda.ConferenceFile:
    return agenda.open_conference(store, mc.ICPC, profile, mc.TODAY)


def _answers(store: Store, profile=LBH, draft=None):
    file = _file(store, profile)
    return {a.item.id: a for a in prep.answers(file, draft or prep.open_draft(file))}


def test_the_conference_list_shows_booked_and_recently_held(seeded):
    """The booked ICPC and review are listed before the one already held (60 days)."""
    rows = agenda.conferences(seeded, mc.TODAY)
    assert [mc.ICPC, mc.C2_REVIEW] == rows[~rows["held"]]["id"].tolist()
    assert mc.C2_ICPC not in rows["id"].tolist()  # held 84 days ago
    assert agenda.label(rows.iloc[0]).startswith("Fri 13 Nov 2026 10:00 · Initial (booked)")


def test_the_records_answer_what_they_can(seeded):
    """C1 is 12, speaks Polish and a parent has a learning disability: the data says so and
    the follow-up items wait for the chair."""
    a = _answers(seeded)
    assert "Needed: first language Polish." == a["interpreter_needed"].detail
    assert ("", True) == (
        a["interpreter_arranged"].answer,
        a["interpreter_arranged"].needs_attention,
    )
    assert "yes" == a["learning_disability"].answer and "" == a["advocacy"].answer
    assert a["child_age"].detail.startswith("Aged 12 on the day")
    assert "" == a["child_invited"].answer


def test_late_reports_are_named_by_agency_against_the_profiles_deadline(seeded):
    """LBH: reports reach the chair 3 working days before (by 10 Nov for the 13th): police
    came on the 12th and school not at all; social care was on time."""
    a = _answers(seeded)["reports_to_chair"]
    assert "no" == a.answer
    assert (
        "1 of 3 on time. Late: Police (due 10 Nov 2026, received 12 Nov 2026); School (due "
        "10 Nov 2026, not received)."
    ) == a.detail
    dorset = _answers(seeded, profiles.load("dorset"))["reports_to_family"]
    assert "Police (due 11 Nov 2026, received 12 Nov 2026)" in dorset.detail


def test_saving_keeps_the_checklist_venue_and_reports_in_one_audited_transaction(seeded):
    """The preparation, the conference's venue and split, and a report's date are written
    together, each with an audit row noted 'conference preparation'."""
    file = _file(seeded)
    draft = prep.open_draft(file)
    school = draft.reports[2]
    school = prep.ReportRow(**{**school.__dict__, "received_by_chair": D(2026, 11, 13)})
    draft = draft.with_values(
        consultation_date=D(2026, 11, 2),
        family_met_date=D(2026, 11, 13),
        venue="virtual",
        split_conference=True,
        items={
            "split_conference": {"answer": "yes", "note": "Split: risk to mother."},
            "interpreter_arranged": {"answer": "no", "note": "Booking for the 13th."},
        },
        reports=[
            *draft.reports[:2],
            school,
            prep.ReportRow(agency="gp", received_by_chair=D(2026, 11, 6)),
        ],
    )
    saved = prep.save(seeded, draft, LBH, mc.TODAY)
    conf = seeded.get("conferences", mc.ICPC)
    assert ("virtual", True) == (conf["venue"], conf["split_conference"])
    assert "yes" == saved.record["items"]["split_conference"]["answer"]
    assert 4 == len(seeded.rows("agency_reports", conference_id=mc.ICPC))
    noted = {
        (a["table_name"], a["action"])
        for a in seeded.audit()
        if a["note"] == "conference preparation"
    }
    assert {
        ("conferences", "update"),
        ("conference_preparations", "insert"),
        ("agency_reports", "update"),
        ("agency_reports", "insert"),
    } == noted
    a = _answers(seeded)
    assert ("yes", "Virtual.") == (a["venue"].answer, a["venue"].detail)
    assert "Met on 13 Nov 2026." == a["family_meeting"].detail
    assert ("no", "Booking for the 13th.") == (
        a["interpreter_arranged"].answer,
        a["interpreter_arranged"].note,
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"family_met_date": D(2026, 11, 14)}, "family_met_date"),
        ({"consultation_date": D(2026, 11, 17)}, "consultation_date"),
        ({"venue": "moon"}, "venue"),
        ({"items": {"split_conference": {"answer": "no"}}}, "items.split_conference"),
        ({"reports": [prep.ReportRow(agency="")]}, "reports.1.agency"),
        (
            {"reports": [prep.ReportRow(agency="gp", shared_with_family=D(2026, 11, 30))]},
            "reports.1.shared_with_family",
        ),
    ],
)
def test_the_form_refuses_what_cannot_be_right(seeded, values, field):
    """Dates after the conference or in the future, an unknown venue, a 'no' with no note,
    a report with no agency: refused by field, nothing written."""
    before = len(seeded.audit())
    with pytest.raises(RecordError) as refused:
        prep.save(seeded, prep.open_draft(_file(seeded)).with_values(**values), LBH, mc.TODAY)
    assert field in refused.value.by_field()
    assert before == len(seeded.audit())


def test_a_preparation_changed_by_someone_else_is_refused(seeded):
    """Two chairs open the saved preparation; the second save is refused, nothing changes."""
    prep.save(seeded, prep.open_draft(_file(seeded)).with_values(notes="First."), LBH, mc.TODAY)
    one, two = prep.open_draft(_file(seeded)), prep.open_draft(_file(seeded))
    prep.save(seeded, one.with_values(notes="Second."), LBH, mc.TODAY)
    with pytest.raises(StaleVersionError):
        prep.save(seeded, two.with_values(notes="Third."), LBH, mc.TODAY)
    assert "Second." == seeded.rows("conference_preparations")[0]["notes"]


def test_removing_a_report_deletes_it(seeded):
    """A report row taken off the form is deleted (audited) when the form is saved."""
    draft = prep.open_draft(_file(seeded))
    prep.save(seeded, draft.with_values(reports=draft.reports[:2]), LBH, mc.TODAY)
    assert [1, 2] == [r["id"] for r in seeded.rows("agency_reports", conference_id=mc.ICPC)]
    assert "delete" == seeded.audit("agency_reports", 3)[-1]["action"]
