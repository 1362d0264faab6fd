"""The observation and feedback records and forms, without a browser, on SQLite and
PostgreSQL: stages of an observation, refusals that leave the database unchanged,
versions, audit, and feedback marking its conference."""

from __future__ import annotations

import datetime as dt

import pytest
from test_store import snapshot

from cptrack.casework.qa.feedback import FeedbackForm
from cptrack.casework.qa.observation import ObservationForm
from cptrack.domain.models import Feedback, PracticeObservation, RecordError, today
from cptrack.quality import observation
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store

HELD = today() - dt.timedelta(days=20)


@pytest.fixture
def conf_store(store: Store) -> Store:
    """Two chairs, a QA lead, a child and a conference held by chair 1."""
    with store.transaction() as tx:
        tx.add("staff", {"id": 1, "name": "Chair One", "role": "chair"})
        tx.add("staff", {"id": 2, "name": "Chair Two", "role": "chair"})
        tx.add("staff", {"id": 3, "name": "Quinn Lead", "role": "qa_lead"})
        tx.add(
            "children",
            {
                "id": "C1",
                "given_name": "Ada",
                "family_name": "Synth",
                "date_of_birth": dt.date(2012, 4, 2),
            },
        )
        tx.add(
            "conferences",
            {
                "id": 10,
                "child_id": "C1",
                "type": "initial",
                "chair_id": 1,
                "scheduled_date": HELD,
                "held_date": HELD,
                "outcome": "cin_plan",
            },
        )
        tx.add(
            "conferences",
            {
                "id": 11,
                "child_id": "C1",
                "type": "review",
                "chair_id": 1,
                "scheduled_date": HELD + dt.timedelta(days=60),
            },
        )
    return store


def _complete_form(framework=None) -> ObservationForm:
    framework = framework or observation.standard()
    form = ObservationForm.new(framework)
    form.chair_id, form.observer_id, form.conference_id, form.date = 1, 3, 10, HELD
    for c in framework.criteria:
        form.ratings[c.id] = "good"
        form.evidence[c.id] = f"Seen: {c.id}"
    form.ratings["timeliness_stand_down"] = "not_observed"
    form.evidence.pop("timeliness_stand_down")
    form.strengths = "Warm and clear."
    form.development_points = "Bring the child's words in."
    form.overall_judgement = "good"
    form.overall_rationale = "Met the standards throughout."
    return form


# ---------------------------------------------------------------------------
# The records on their own


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"status": "awaiting_reflection", "overall_rationale": "x"}, "overall_judgement"),
        ({"status": "awaiting_reflection", "overall_judgement": "good"}, "overall_rationale"),
        ({"overall_judgement": "not_observed"}, "overall_judgement"),
        ({"observer_id": 1}, "observer_id"),
        (
            {
                "status": "complete",
                "overall_judgement": "good",
                "overall_rationale": "x",
                "chair_acknowledged": HELD,
            },
            "chair_reflection",
        ),
        (
            {
                "status": "complete",
                "overall_judgement": "good",
                "overall_rationale": "x",
                "chair_reflection": "ok",
            },
            "chair_acknowledged",
        ),
        ({"chair_acknowledged": HELD - dt.timedelta(days=1)}, "chair_acknowledged"),
    ],
)
def test_an_observation_record_refuses_what_its_stage_lacks(changes, field):
    """Drafts may be incomplete; submitted needs the judgement and rationale; complete the
    chair's reflection and acknowledgement; a chair never observes themselves."""
    base = {"chair_id": 1, "date": HELD}
    PracticeObservation.check(base)  # a bare draft is fine
    with pytest.raises(RecordError) as exc:
        PracticeObservation.check({**base, **changes})
    assert field in exc.value.by_field()


def test_an_observation_rates_each_criterion_once():
    """A criterion rated twice, or a rating off the scale, is refused."""
    twice = [{"criterion": "plan_smart", "rating": "good"}] * 2
    with pytest.raises(RecordError, match="rated twice"):
        PracticeObservation.check({"chair_id": 1, "date": HELD, "ratings": twice})
    with pytest.raises(RecordError, match="not on the scale"):
        PracticeObservation.check(
            {"chair_id": 1, "date": HELD, "ratings": [{"criterion": "x", "rating": "great"}]}
        )


@pytest.mark.parametrize(
    "data, field",
    [
        ({"status": "received"}, "answers"),
        ({"status": "declined", "answers": {"prepared": 4}}, "status"),
        ({"respondent": "parent", "simple_wording": True, "comments": "x"}, "simple_wording"),
        ({"respondent": "parent", "agency": "police", "comments": "x"}, "agency"),
        ({"answers": {"prepared": 6}}, "answers"),
    ],
)
def test_a_feedback_record_refuses_inconsistent_answers(data, field):
    """Received feedback has something in it; declined has nothing; the simpler wording is
    for children and the agency for professionals; answers are scored 1 to 5."""
    base = {"conference_id": 10, "respondent": "child", "date": HELD}
    with pytest.raises(RecordError) as exc:
        Feedback.check({**base, **data})
    assert field in exc.value.by_field()


# ---------------------------------------------------------------------------
# The Practice Observation Form


def test_an_observation_goes_from_draft_to_submitted_to_complete(conf_store: Store):
    """Draft (v1), submitted to the chair (v2), the chair's reflection completes it (v3);
    each step one audited transaction."""
    form = _complete_form()
    form.overall_judgement = None
    form.save(conf_store, "draft")
    assert (1, "draft") == (form.version, form.status)
    form.overall_judgement = "good"
    form.save(conf_store, "submit")
    assert (2, "awaiting_reflection") == (form.version, form.status)
    form.chair_reflection = "A fair reflection; I will bring the child's words in."
    form.chair_acknowledged = HELD + dt.timedelta(days=5)
    form.save(conf_store, "reflect")
    stored = conf_store.get("observations", form.id)
    assert (3, "complete") == (stored["version"], stored["status"])
    assert len(observation.standard().criteria) == len(stored["ratings"])
    assert {
        "criterion": "plan_smart",
        "domain": "plan",
        "rating": "good",
        "evidence": "Seen: plan_smart",
    } in stored["ratings"]
    audit = conf_store.audit("observations", form.id)
    assert ["insert", "update", "update"] == [a["action"] for a in audit]
    assert "practice observation: chair's reflection added" == audit[-1]["note"]


def test_submitting_without_the_overall_judgement_saves_nothing(conf_store: Store):
    """The refusal names the overall judgement, and the database is unchanged."""
    form = _complete_form()
    form.overall_judgement = None
    before = snapshot(conf_store)
    with pytest.raises(RecordError) as exc:
        form.save(conf_store, "submit")
    assert (
        "give the overall judgement before the observation goes to the chair"
        in (exc.value.by_field()["overall_judgement"])
    )
    assert before == snapshot(conf_store)
    assert form.id is None


def test_each_unrated_criterion_and_missing_evidence_is_named(conf_store: Store):
    """Every criterion is rated (Not observed counts) and every rating has evidence."""
    form = _complete_form()
    form.ratings["plan_smart"] = None
    form.evidence["plan_contingency"] = "  "
    with pytest.raises(RecordError) as exc:
        form.save(conf_store, "submit")
    by_field = exc.value.by_field()
    assert {"rating.plan_smart", "evidence.plan_contingency"} == set(by_field)
    assert 0 == conf_store.count("observations")


def test_the_conference_observed_was_chaired_by_the_chair(conf_store: Store):
    """Observing chair 2 at chair 1's conference, or a conference not yet held, is refused."""
    form = _complete_form()
    form.chair_id = 2
    with pytest.raises(RecordError) as exc:
        form.save(conf_store, "submit")
    assert "chaired by someone else" in exc.value.by_field()["conference_id"][0]
    form.chair_id, form.conference_id = 1, 11
    with pytest.raises(RecordError, match="was not held"):
        form.save(conf_store, "submit")
    assert 0 == conf_store.count("observations")


def test_amending_an_old_version_is_refused(conf_store: Store):
    """Two QA leads open the same observation; the second save is refused, not merged."""
    form = _complete_form()
    form.save(conf_store, "submit")
    first = ObservationForm.load(conf_store, form.id)
    second = ObservationForm.load(conf_store, form.id)
    first.strengths = "Changed by the first"
    first.save(conf_store, "amend")
    second.strengths = "Changed by the second"
    with pytest.raises(StaleVersionError, match="you were editing version 1"):
        second.save(conf_store, "amend")
    assert "Changed by the first" == conf_store.get("observations", form.id)["strengths"]


def test_an_observation_reopens_as_it_was_saved(conf_store: Store):
    """Loading gives back every rating and evidence, and the stage buttons' state."""
    form = _complete_form()
    form.save(conf_store, "submit")
    again = ObservationForm.load(conf_store, form.id)
    assert form.ratings == again.ratings
    assert form.evidence == again.evidence
    assert "Awaiting the chair's reflection" == again.status_label
    with pytest.raises(RecordError, match="already been submitted"):
        again.save(conf_store, "submit")


def test_the_chair_cannot_reflect_on_a_draft(conf_store: Store):
    form = _complete_form()
    form.save(conf_store, "draft")
    form.chair_reflection, form.chair_acknowledged = "Thanks", HELD
    with pytest.raises(RecordError) as exc:
        form.save(conf_store, "reflect")
    assert "chair_reflection" in exc.value.by_field()


def test_an_authoritys_own_criteria_are_rated_and_saved(conf_store: Store):
    """With Dorset's framework the form asks for Dorset's plan-of-support criterion too."""
    from cptrack.rules import profiles

    dorset = observation.for_profile(profiles.load("dorset"))
    form = _complete_form(dorset)
    form.framework_name = "dorset"
    form.ratings["dorset_plan_of_support_first"] = None
    with pytest.raises(RecordError) as exc:
        form.save(conf_store, "submit")
    assert ["rating.dorset_plan_of_support_first"] == list(exc.value.by_field())
    form.ratings["dorset_plan_of_support_first"] = "outstanding"
    form.evidence["dorset_plan_of_support_first"] = "Plan of support agreed first."
    form.save(conf_store, "submit")
    again = ObservationForm.load(conf_store, form.id)
    assert "outstanding" == again.ratings["dorset_plan_of_support_first"]


# ---------------------------------------------------------------------------
# Feedback


def test_feedback_is_saved_and_marks_its_conference(conf_store: Store):
    """One transaction adds the feedback and records that feedback was sought."""
    form = FeedbackForm(
        conference_id=10,
        respondent="child",
        simple_wording=True,
        date=HELD,
        answers={"listened": 5, "respected": 4, "prepared": None},
        comments="They read out what I wrote.",
    )
    row = form.save(conf_store)
    stored = conf_store.get("feedback", row["id"])
    assert {"listened": 5, "respected": 4} == stored["answers"]
    assert stored["simple_wording"] is True
    conf = conf_store.get("conferences", 10)
    assert (True, 2) == (conf["feedback_sought"], conf["version"])
    notes = [
        a["note"]
        for a in conf_store.audit("feedback") + conf_store.audit("conferences", 10)
        if a["action"] != "insert" or a["table_name"] == "feedback"
    ]
    assert ["feedback from a child or young person"] * 2 == notes


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"conference_id": None}, "conference_id"),
        ({"answers": {}, "comments": ""}, "answers"),
        ({"status": "declined"}, "status"),
        ({"respondent": "professional", "answers": {"contributed": 4}}, "agency"),
        ({"answers": {"not_a_question": 3}}, "answer.not_a_question"),
        ({"date": HELD - dt.timedelta(days=3)}, "date"),
        ({"conference_id": 11}, "conference_id"),
    ],
)
def test_refused_feedback_saves_nothing(conf_store: Store, changes, field):
    """Each problem is named by its field, and neither the feedback nor the conference is
    written."""
    data = {
        "conference_id": 10,
        "respondent": "parent",
        "date": HELD,
        "answers": {"prepared": 4},
        **changes,
    }
    before = snapshot(conf_store)
    with pytest.raises(RecordError) as exc:
        FeedbackForm(**data).save(conf_store)
    assert field in exc.value.by_field()
    assert before == snapshot(conf_store)


def test_declined_feedback_is_recorded_without_answers(conf_store: Store):
    """A parent who declined still counts: feedback was sought."""
    row = FeedbackForm(conference_id=10, respondent="parent", date=HELD, status="declined").save(
        conf_store
    )
    assert ({}, None) == (row["answers"], row["comments"])
    assert conf_store.get("conferences", 10)["feedback_sought"] is True


def test_the_dashboard_reads_what_the_forms_saved(conf_store: Store):
    """On both databases: an observation and feedback saved through the forms appear on
    the dashboard (heat map, trend, feedback by chair and per conference)."""
    from cptrack.casework.qa.dashboard import Dashboard

    form = _complete_form()
    form.save(conf_store, "submit")
    FeedbackForm(conference_id=10, respondent="parent", date=HELD, answers={"prepared": 4}).save(
        conf_store
    )
    board = Dashboard.open(conf_store, rows_by="observation")
    sections = board.sections()
    assert f'<tr data-key="{form.id}">' in sections["heatmap"]
    assert "Chair One" in sections["trend"]
    by_chair = board.feedback_by_chair().set_index("chair")
    assert (1, 1, 1) == tuple(by_chair.loc["Chair One", ["conferences", "sought", "parent"]])
    assert [True] == board.feedback_conferences()["sought"].tolist()
    flagged = board.not_observed().set_index("chair")["overdue"]
    assert {"Chair One": False, "Chair Two": True} == flagged.to_dict()


def test_a_link_to_a_missing_observation_opens_a_new_one(demo_db):
    """?observation=ID naming nothing says so and offers a new form, never a traceback."""
    from cptrack.apps.observation.view import ObservationView

    with Store.open(demo_db) as store:
        view = ObservationView.open(store, observation_id=999_999)
    assert view.model.is_new
    assert "There is no observation no. 999999" in view.banner.value
