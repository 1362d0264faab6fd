"""The QA notebooks executed with nbclient, driven through their widgets' callbacks, with
the database checked afterwards (no browser)."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT
from cptrack.storage.store import Store

NOTEBOOKS = ROOT / "notebooks"


def run(name: str, db: str, monkeypatch, *cells: str) -> list[str]:
    """Execute notebook ``name`` then ``cells``; returns each added cell's printed text."""
    monkeypatch.setenv("CPTRACK_DB", db)
    monkeypatch.setenv("CPTRACK_USER", "nb-test")
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    start = len(nb.cells)
    nb.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    NotebookClient(nb, timeout=180, resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return [
        "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")
        for cell in nb.cells[start:]
    ]


def test_the_notebooks_only_compose():
    """No def or class in a QA notebook, and none is committed with outputs."""
    for name in ("practice_observation.ipynb", "qa_dashboard.ipynb", "feedback.ipynb"):
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        source = "\n".join(c.source for c in nb.cells)
        assert "def " not in source and "class " not in source, name
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), name


FILL = """
chairs = [v for _, v in view.chair.widget.options if v != ""]
view.chair.widget.value = chairs[0]
view.conference.widget.value = view.conference.widget.options[1][1]
view.observer.widget.value = view.observer.widget.options[1][1]
for cid, f in view.rating_fields.items():
    f.widget.value = "good"
    view.evidence_fields[cid].widget.value = "Seen and heard: " + cid
view.strengths.widget.value = "Calm, clear chairing."
view.development.widget.value = "Bring the child's words in."
view.rationale.widget.value = "Met the standards throughout."
print(json.dumps([view.chair.widget.value, view.conference.widget.value]))
"""


def test_an_observation_is_refused_without_its_judgement_then_submitted_and_completed(
    fresh_demo_db, monkeypatch
):
    """Submit without an overall judgement: refused beside the field, nothing saved; with
    it: submitted; then the chair's reflection completes it."""
    with Store.open(fresh_demo_db) as store:
        before = store.count("observations")
    out = run(
        "practice_observation.ipynb",
        fresh_demo_db,
        monkeypatch,
        "import json\nassert view is not None",
        FILL,
        "view.submit_button.click()\n"
        "print(json.dumps([view.judgement.error.value, view.banner.value, view.status.value]))",
        "view.judgement.widget.value = 'good'\nview.submit_button.click()\n"
        "print(json.dumps([view.banner.value, view.model.id]))",
        "from cptrack.domain.models import today\n"
        "view.reflection.widget.value = 'A fair picture; I will act on it.'\n"
        "view.acknowledged.widget.value = today()\nview.reflect_button.click()\n"
        "print(json.dumps([view.reflect_banner.value, view.status.value]))",
    )
    chair, conference = json.loads(out[1])
    error, banner, status = json.loads(out[2])
    assert "give the overall judgement before the observation goes to the chair" in error
    assert "Not saved" in banner and "New observation" in status
    banner, observation_id = json.loads(out[3])
    assert "Submitted" in banner
    reflected, status = json.loads(out[4])
    assert "the observation is complete" in reflected and "Complete · version 2" in status
    with Store.open(fresh_demo_db) as store:
        assert before + 1 == store.count("observations")
        row = store.get("observations", observation_id)
        assert (chair, conference, "complete", "good") == (
            row["chair_id"],
            row["conference_id"],
            row["status"],
            row["overall_judgement"],
        )
        assert {"nb-test"} == {a["user"] for a in store.audit("observations", observation_id)}


def test_an_observation_opens_from_its_link(fresh_demo_db, monkeypatch):
    """?observation=ID opens that observation with its ratings, status and version."""
    with Store.open(fresh_demo_db) as store:
        row = store.rows("observations", status="complete")[0]
    monkeypatch.setenv("QUERY_STRING", f"observation={row['id']}")
    out = run(
        "practice_observation.ipynb",
        fresh_demo_db,
        monkeypatch,
        "import json\nprint(json.dumps([view.model.id, view.status.value, "
        "view.rating_fields['plan_smart'].widget.value, view.amend_button.layout.display, "
        "view.submit_button.layout.display]))",
    )
    got_id, status, rating, amend, submit = json.loads(out[0])
    stored = {r["criterion"]: r["rating"] for r in row["ratings"]}
    assert (row["id"], stored["plan_smart"]) == (got_id, rating)
    assert "Complete" in status and (None, "none") == (amend, submit)


def test_feedback_from_a_child_is_saved_and_the_summary_changes(fresh_demo_db, monkeypatch):
    """A child's feedback in the simpler wording: saved, conference marked, summary redrawn."""
    with Store.open(fresh_demo_db) as store:
        before = store.count("feedback")
    out = run(
        "feedback.ipynb",
        fresh_demo_db,
        monkeypatch,
        "import json\nassert view is not None\nsummary_before = view.summary.value\n"
        "chairs = [v for _, v in view.chair.widget.options if v != '']\n"
        "view.chair.widget.value = chairs[0]\n"
        "view.conference.widget.value = view.conference.widget.options[1][1]\n"
        "view.respondent.widget.value = 'child'\nview.simple.widget.value = True\n"
        "texts = [b.children[0].value for b in view.questions_box.children]\n"
        "view.answer_fields['listened'].widget.value = 5\n"
        "view.comments.widget.value = 'They <b>listened</b>.'\nview.save_button.click()\n"
        "print(json.dumps([view.banner.value, view.conference.widget.value, texts,"
        " summary_before != view.summary.value]))",
    )
    banner, conference, texts, changed = json.loads(out[0])
    assert "Saved: feedback from a child or young person" in banner
    assert any("People listened to what I had to say." in t for t in texts)
    assert changed
    with Store.open(fresh_demo_db) as store:
        assert before + 1 == store.count("feedback")
        row = store.rows("feedback")[-1]
        assert (conference, "child", True, {"listened": 5}) == (
            row["conference_id"],
            row["respondent"],
            row["simple_wording"],
            row["answers"],
        )
        assert store.get("conferences", conference)["feedback_sought"] is True


@pytest.mark.parametrize("rows_by", ["chair", "observation"])
def test_the_dashboard_runs_and_redraws_its_heat_map(demo_db, monkeypatch, rows_by):
    """Every section is drawn; the heat map's rows follow the toggle."""
    out = run(
        "qa_dashboard.ipynb",
        demo_db,
        monkeypatch,
        f"import json\nview.rows_by.widget.value = {rows_by!r}\n"
        "print(json.dumps({k: w.value for k, w in view.html.items()}))",
    )
    sections = json.loads(out[0])
    assert f'id="heatmap-{rows_by}"' in sections["heatmap"]
    assert 'id="not-observed"' in sections["not_observed"]
    assert 'id="trend-chart"' in sections["trend"]
    assert 'id="feedback-by-chair"' in sections["feedback"]
    assert 'id="feedback-sought"' in sections["feedback_sought"]
