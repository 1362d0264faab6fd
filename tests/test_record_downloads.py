"""The record forms' "Download report": a saved conference record, midway review and practice
observation, each as the Word document (or PDF, HTML) `cptrack report NAME --record ID` makes."""

from __future__ import annotations

import base64
import io
import re

import docx
import pytest

from cptrack.apps.conference.record import RecordView
from cptrack.apps.midway.form import MidwayForm
from cptrack.apps.observation.view import ObservationView
from cptrack.caseload import load, open_plans
from cptrack.casework.conference import agenda
from cptrack.casework.midway import opening as midway_opening
from cptrack.domain.models import today
from cptrack.rules import profiles
from cptrack.storage.store import Store


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pseudonym key from the environment, for the documents' headers."""
    monkeypatch.setenv("CPTRACK_PSEUDONYM_KEY", "a-test-key-for-record-downloads")


def word(download, name: str) -> docx.document.Document:
    """Click Download report for Word and open the file the link holds."""
    download.format.value = "docx"
    download.make()
    found = re.search(
        rf'download="({name}-[^"]+\.docx)" href="data:[^;]+;base64,([^"]+)"', download.link.value
    )
    assert found, download.link.value
    return docx.Document(io.BytesIO(base64.b64decode(found.group(2))))


def test_a_held_conference_downloads_as_its_record(demo_db):
    """The conference record form offers PDF, Word and HTML; Word gives the record."""
    with Store.open(demo_db) as store:
        held = next(
            c
            for c in store.rows("conferences", type="initial")
            if c["held_date"] is not None and c["outcome"] == "cp_plan"
        )
        file = agenda.open_conference(store, held["id"], profiles.load("national"), today())
        view = RecordView(store, file)
        assert ["PDF", "Word", "HTML"] == [label for label, _ in view.download.format.options]
        document = word(view.download, "conference_record")
    assert "Conference record" == document.paragraphs[0].text


def test_a_saved_midway_review_downloads_and_a_new_one_offers_nothing_yet(demo_db):
    """Before a review is saved there is nothing to download; a saved one gives its document."""
    dorset = profiles.load("dorset")
    with Store.open(demo_db) as store:
        on_plan = set(open_plans(load(store).cp_plans, today())["child_id"])
        children = list(
            dict.fromkeys(
                r["child_id"] for r in store.rows("midway_reviews") if r["child_id"] in on_plan
            )
        )[:12]
        forms = [
            MidwayForm(midway_opening.open_review(store, c, dorset, today()), store)
            for c in children
        ]
        saved = [f for f in forms if f.draft.record_id is not None]
        new = [f for f in forms if f.draft.record_id is None]
        assert saved and new, "the demo holds both written and unwritten midway reviews"
        assert "none" == new[0].download.widget.layout.display
        assert saved[0].download.widget.layout.display in (None, "")
        document = word(saved[0].download, "midway_review")
    assert "Midway review" == document.paragraphs[0].text


def test_an_observation_downloads_once_it_is_saved(demo_db):
    """A new observation offers no download; a saved one gives its document."""
    with Store.open(demo_db) as store:
        new = ObservationView.open(store)
        assert "none" == new.download.widget.layout.display
        observation = store.rows("observations")[0]
        view = ObservationView.open(store, observation["id"])
        assert view.download.widget.layout.display in (None, "")
        document = word(view.download, "observation")
    assert document.paragraphs[0].text.startswith("Practice observation")
