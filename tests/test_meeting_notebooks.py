"""The meeting apps' notebooks executed with nbclient over a demo database: widgets are set
and buttons clicked in appended cells, and the database shows what the chair saved."""

from __future__ import annotations

import os
import textwrap

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT
from cptrack import caseload
from cptrack.casework.midway import due as midway_due
from cptrack.domain.models import today
from cptrack.rules import profiles
from cptrack.storage import settings
from cptrack.storage.store import Store

NOTEBOOKS = ROOT / "notebooks"
TODAY = today()


def run(name: str, db: str, code: str, monkeypatch) -> list[str]:
    """Execute notebooks/<name> with ``code`` appended; returns what the cells printed."""
    monkeypatch.setenv("CPTRACK_DB", db)
    monkeypatch.delenv("CPTRACK_PROFILE", raising=False)
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(textwrap.dedent(code)))
    NotebookClient(nb, timeout=240, resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return [
        o.get("text", "")
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    ]


def _profile(db: str, name: str) -> None:
    with Store.open(db) as store:
        settings.put(store, "profile", name)


@pytest.mark.slow
def test_the_midway_notebook_saves_a_review_and_the_finding_turns_met(fresh_demo_db, monkeypatch):
    """Dorset: open a child whose midway review is due, complete it in the widgets, save;
    the engine's finding for that interval is met and the review is in the database."""
    _profile(fresh_demo_db, "dorset")
    with Store.open(fresh_demo_db) as store:
        due = midway_due.due_list(caseload.load(store), profiles.load("dorset"), TODAY)
    child = str(due[due["status"] == "due"]["child_id"].iloc[0])
    out = run(
        "midway_review.ipynb",
        fresh_demo_db,
        f"""
        app.open_child({child!r})
        f = app.form
        f.save_button.click()
        print("REFUSED", "Not saved" in f.banner.value)
        for row in f.outcomes.rows:
            row.inputs["rag"].value = "green"
            row.inputs["evidence"].value = "Attends school every day now."
        f.fields["risks_reducing"].value = "yes"
        f.fields["risks_evidence"].value = "No incidents since the conference."
        f.fields["child_voice_heard"].value = True
        f.fields["child_voice_evidence"].value = "Seen alone twice; her words are in the plan."
        f.fields["contingency_still_right"].value = True
        f.fields["decision"].value = "on_track"
        f.save_button.click()
        print("SAVED", f.banner.value)
        print("STATUS", f.file.midway["status"])
    """,
        monkeypatch,
    )
    text = "".join(out)
    assert "REFUSED True" in text
    assert "Midway review of" in text and "STATUS met" in text
    with Store.open(fresh_demo_db) as store:
        saved = store.rows("midway_reviews", child_id=child)
        assert TODAY == saved[-1]["date"] and "on_track" == saved[-1]["decision"]
        assert "midway review" == store.audit("midway_reviews", saved[-1]["id"])[0]["note"]


@pytest.mark.slow
def test_the_conference_notebook_prepares_and_records_an_icpc(fresh_demo_db, monkeypatch):
    """Preparation saved with a checklist answer; the record refused without a contingency
    plan (002 standard 10), then saved: a plan, a booked core group and review."""
    with Store.open(fresh_demo_db) as store:
        booked = [
            c
            for c in store.rows("conferences", type="initial")
            if c["held_date"] is None and not c["stood_down"]
        ]
    conf = booked[0]
    out = run(
        "conference.ipynb",
        fresh_demo_db,
        f"""
        import datetime as dt
        from cptrack.domain.models import today
        app.open({conf["id"]})
        p = app.preparation
        p.item_inputs["split_conference"][0].value = "no"
        p.item_inputs["split_conference"][1].value = "No domestic abuse concerns."
        p.fields["consultation_date"].value = today()
        p.save_button.click()
        print("PREP", p.banner.value)
        r = app.record
        r.fields["held_date"].value = today()
        for agency in ("police", "school"):
            r.attendance.add_row().inputs["agency"].value = agency
        for row in r.attendance.rows:
            row.inputs["status"].value = "attended"
            row.inputs["scaling_score"].value = 4
            row.inputs["view"].value = "cp_plan"
        for name in ("worried_about", "needs_to_happen", "child_views", "working_well"):
            r.fields[name].value = "Written at the conference."
        r.fields["outcome"].value = "cp_plan"
        r.fields["category"].value = "NEG"
        r.fields["core_group_members"].value = "Social worker, school, parents"
        r.fields["visit_frequency_wd"].value = 10
        r.actions.add_row()
        a = r.actions.rows[0].inputs
        a["description"].value = "Paediatric assessment"
        a["owner"].value = "Social worker"
        a["due_date"].value = today() + dt.timedelta(days=10)
        r.save_button.click()
        print("REFUSED", r.fields["contingency_plan"].error.value)
        r.fields["contingency_plan"].value = "Legal planning meeting if the bruising recurs."
        r.save_button.click()
        print("RECORD", r.banner.value)
        print("DUE", r.schedule.value)
    """,
        monkeypatch,
    )
    text = "".join(out)
    assert "Preparation saved" in text
    assert "[002 standard 10]" in text
    assert "is recorded: Child protection plan" in text and "What is now due" in text
    with Store.open(fresh_demo_db) as store:
        stored = store.get("conferences", conf["id"])
        assert ("cp_plan", TODAY) == (stored["outcome"], stored["held_date"])
        assert store.rows("core_groups", plan_id=stored["plan_id"])[0]["status"] == "scheduled"
        prep = store.rows("conference_preparations", conference_id=conf["id"])[0]
        assert "no" == prep["items"]["split_conference"]["answer"]


@pytest.mark.slow
def test_the_escalation_notebook_opens_and_answers_an_escalation(fresh_demo_db, monkeypatch):
    """Opened for a child in the log page; answered and resolved; both saves audited."""
    out = run(
        "escalations.ipynb",
        fresh_demo_db,
        """
        app.child.value = "C000001"
        app.go.click()
        p = app.panel
        p.open_new.click()
        p.form.fields["raised_with"].value = "Team manager, Safeguarding 2"
        p.form.fields["reason"].value = "Visits have lapsed for three weeks."
        p.save_button.click()
        print("OPENED", p.banner.value)
        p.start_existing(p.pick.options[0][1])
        p.form.fields["response"].value = "Visits restarted."
        p.form.fields["response_date"].value = p.form.fields["raised_on"].value
        p.form.fields["status"].value = "resolved"
        p.form.fields["outcome"].value = "Resolved by the team manager."
        p.save_button.click()
        print("ANSWERED", p.banner.value)
    """,
        monkeypatch,
    )
    text = "".join(out)
    assert "opened at stage" in text and "updated (Resolved)" in text
    with Store.open(fresh_demo_db) as store:
        row = store.rows("escalations", child_id="C000001")[-1]
        assert ("resolved", 2, "escalation_log") == (
            row["status"],
            row["version"],
            row["source_kind"],
        )


def test_the_apps_say_why_when_there_is_no_database(monkeypatch, tmp_path):
    """Without a database the pages show the reason, never a traceback."""
    from cptrack.apps.conference.view import ConferenceApp
    from cptrack.apps.escalation.view import EscalationLogApp
    from cptrack.apps.midway.view import MidwayApp

    monkeypatch.setenv("CPTRACK_DB", str(tmp_path / "missing" / "x.sqlite"))
    for app in (MidwayApp, ConferenceApp, EscalationLogApp):
        shown = app.from_environment().widget.value
        assert "cannot open" in shown and "Traceback" not in shown
    assert os.environ["CPTRACK_DB"].endswith("x.sqlite")
