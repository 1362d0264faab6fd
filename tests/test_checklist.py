"""The preparation checklist: a profile section, its sources, and how the data answers it."""

from __future__ import annotations

import datetime as dt
import re
import textwrap

import pytest
from test_profiles import _normalise, _paragraph, _seed_text

from cptrack.rules import checklist, profiles
from cptrack.rules.checklist import Facts, ReportCheck
from cptrack.rules.profiles import ProfileError

D = dt.date
ITEMS = profiles.load("national").sections["preparation_checklist"]


def _citation_parts():
    for item in ITEMS:
        for part in item.citation.split("; "):
            yield pytest.param(part, id=f"{item.id}:{part[:3]}")


@pytest.mark.parametrize("part", list(_citation_parts()))
def test_every_item_cites_paragraphs_and_words_the_seed_really_has(part):
    """Each part of an item's citation names a seed, paragraphs or standards it has, and
    quotes only words it says."""
    name = part.split()[0].rstrip(",")
    text = _seed_text(name)
    numbers = re.findall(r"§([\d.]+\d|\d)", part) + re.findall(r"standard (\d+)", part)
    quotes = re.findall(r'"([^"]+)"', part)
    assert numbers or quotes
    for number in numbers:
        assert _paragraph(text, number) is not None, f"{name} has no paragraph {number}"
    for quote in quotes:
        assert _normalise(quote) in _normalise(text), f"{name} does not say {quote!r}"


def test_the_checklist_holds_the_items_the_standards_ask_for():
    """Consultation, split conference, interpreter, advocacy, child 10+, venue, reports,
    family meeting: each present, the data-answered ones marked so."""
    by_id = {i.id: i for i in ITEMS}
    for expected in (
        "consultation",
        "need_for_conference",
        "split_conference",
        "interpreter_arranged",
        "advocacy",
        "child_invited",
        "venue",
        "reports_to_chair",
        "reports_to_family",
        "family_meeting",
    ):
        assert expected in by_id
    assert "child_10_plus" == by_id["child_invited"].when
    assert "003_b9b37e5469565ffe.txt §3.2" == by_id["child_invited"].citation
    automatic = {i.id for i in ITEMS if i.automatic}
    assert {
        "interpreter_needed",
        "learning_disability",
        "child_age",
        "reports_to_chair",
        "reports_to_family",
        "venue",
        "consultation",
        "family_meeting",
    } == automatic
    assert ("initial", "pre_birth") == by_id["need_for_conference"].applies_to


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"id": "x", "text": "T"}, "citation"),
        ({"id": "x", "text": "T", "citation": "somewhere"}, "citation"),
        (
            {
                "id": "x",
                "text": "T",
                "citation": "https://a.gov.uk/x",
                "answer_from": "crystal_ball",
            },
            "answer_from",
        ),
        ({"id": "x", "text": "T", "citation": "https://a.gov.uk/x", "when": "raining"}, "when"),
        (
            {"id": "x", "text": "T", "citation": "https://a.gov.uk/x", "applies_to": ["strategy"]},
            "applies_to",
        ),
        ({"id": "x", "text": "T", "citation": "https://a.gov.uk/x", "colour": "red"}, "colour"),
    ],
)
def test_a_bad_item_is_refused_with_its_field_named(tmp_path, entry, field):
    """A profile's checklist is validated like its rules: the item and field are named."""
    body = "\n".join(f"{k} = {v!r}".replace("'", '"') for k, v in entry.items())
    path = tmp_path / "mine.toml"
    path.write_text(
        f'extends = "national"\n[authority]\nname = "Mine"\n[[preparation_checklist]]\n{body}\n'
    )
    with pytest.raises(ProfileError) as refused:
        profiles.load(str(path))
    assert field in [p.field for p in refused.value.problems]
    assert any(p.where.startswith("preparation_checklist") for p in refused.value.problems)


def test_an_authority_can_replace_the_checklist(tmp_path):
    """A child profile's checklist replaces national's whole; {chair} reads as its role."""
    path = tmp_path / "mine.toml"
    path.write_text(
        textwrap.dedent("""\
        extends = "dorset"
        [authority]
        name = "Mine"
        [[preparation_checklist]]
        id = "met"
        text = "The {chair} met the family"
        answer_from = "family_met_date"
        citation = "004_112bca42ee448b63.txt §4.8"
        """)
    )
    mine = profiles.load(str(path))
    items = mine.sections["preparation_checklist"]
    assert ["met"] == [i.id for i in items]
    facts = Facts("review", D(2026, 12, 1), chair_role=mine.chair_role)
    assert "The QARO met the family" == checklist.item_text(items[0], facts)


def _facts(**kw) -> Facts:
    return Facts(**{"conference_type": "initial", "conference_date": D(2026, 12, 1), **kw})


def _answers(facts: Facts, saved=None) -> dict[str, checklist.Answer]:
    return {a.item.id: a for a in checklist.answer(ITEMS, facts, saved)}


def test_the_data_answers_interpreter_learning_disability_and_age():
    """A 12-year-old whose mother speaks Polish and has a learning disability: the follow-up
    items apply and wait for the chair; for an English-speaking 6-year-old they do not."""
    a = _answers(
        _facts(
            interpreter_needed=True,
            first_language="Polish",
            parent_learning_disability=True,
            child_age=12,
        )
    )
    assert ("yes", "Needed: first language Polish.") == (
        a["interpreter_needed"].answer,
        a["interpreter_needed"].detail,
    )
    assert "" == a["interpreter_arranged"].answer and a["interpreter_arranged"].needs_attention
    assert "yes" == a["learning_disability"].answer and "" == a["advocacy"].answer
    assert a["child_age"].detail.startswith("Aged 12 on the day: invite them")
    assert not a["child_age"].needs_attention
    b = _answers(_facts(child_age=6))
    assert ("n/a", "No interpreter needed: first language English.") == (
        b["interpreter_arranged"].answer,
        b["interpreter_arranged"].detail,
    )
    assert ("n/a", "The child is 6: under 10.") == (
        b["child_invited"].answer,
        b["child_invited"].detail,
    )
    assert "n/a" == b["advocacy"].answer
    assert "n/a" == _answers(_facts(child_age=None))["child_invited"].answer


def test_a_review_has_no_need_for_conference_item():
    """Whether a conference is needed is decided before an initial conference only."""
    assert "need_for_conference" not in _answers(_facts(conference_type="review"))


def test_the_chairs_ticks_and_notes_are_kept():
    """A ticked item reads as ticked; an item answered no keeps its note."""
    a = _answers(
        _facts(),
        {
            "split_conference": {"answer": "no", "note": "Asked; not needed"},
            "child_views": {"answer": "yes"},
        },
    )
    assert ("no", "Asked; not needed") == (a["split_conference"].answer, a["split_conference"].note)
    assert "yes" == a["child_views"].answer and not a["child_views"].needs_attention
    assert "Not answered yet" == a["need_for_conference"].words


def test_recorded_dates_answer_consultation_venue_and_family_meeting():
    """Dates and the venue entered on the form tick their items."""
    a = _answers(
        _facts(consultation_date=D(2026, 11, 20), venue="virtual", family_met_date=D(2026, 12, 1))
    )
    assert ("yes", "Held on 20 Nov 2026.") == (a["consultation"].answer, a["consultation"].detail)
    assert ("yes", "Virtual.") == (a["venue"].answer, a["venue"].detail)
    assert "yes" == a["family_meeting"].answer
    assert "no" == _answers(_facts())["venue"].answer


def test_late_reports_are_named_by_agency():
    """Police late, school not in, health on time: the item is answered no, naming both."""
    checks = [
        ReportCheck(
            "police", D(2026, 11, 26), D(2026, 11, 27), "met_late", "met late by 1 working day"
        ),
        ReportCheck("school", D(2026, 11, 26), None, "overdue", "overdue by 2 working days"),
        ReportCheck("health_visitor", D(2026, 11, 26), D(2026, 11, 24), "met", "met"),
    ]
    a = _answers(_facts(reports_to_chair=checks))["reports_to_chair"]
    assert "no" == a.answer and a.needs_attention
    assert (
        "1 of 3 on time. Late: Police (due 26 Nov 2026, received 27 Nov 2026); "
        "School (due 26 Nov 2026, not received)."
    ) == a.detail


def test_reports_not_yet_due_wait_and_a_profile_without_a_deadline_does_not_apply():
    """Before the deadline the item waits; with no rule it does not apply."""
    waiting = [ReportCheck("police", D(2026, 11, 26), None, "due", "due in 3 working days")]
    a = _answers(_facts(reports_to_family=waiting, reports_to_chair=None))
    assert ("", "Waiting") == (a["reports_to_family"].answer, a["reports_to_family"].words)
    assert "Not yet due: Police by 26 Nov 2026." == a["reports_to_family"].detail
    assert "n/a" == a["reports_to_chair"].answer


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"split_conference": {"answer": "no"}}, "what is being done"),
        ({"split_conference": {"answer": "n/a", "note": " "}}, "why it does not apply"),
        ({"split_conference": {"answer": "maybe"}}, "yes, no or not applicable"),
        ({"crystal_ball": {"answer": "yes"}}, "not on this conference's checklist"),
    ],
)
def test_answers_the_chair_cannot_save(given, message):
    """No without a note, not applicable without a reason, unknown answers and items."""
    found = checklist.problems(ITEMS, "initial", given)
    assert 1 == len(found) and message in found[0][1]
