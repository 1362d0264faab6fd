"""The practice observation framework: domains, criteria, their sources in the seeds, and
an authority's adjustments through its standards profile."""

from __future__ import annotations

import textwrap

import pytest

from conftest import unavailable
from cptrack.domain.models import Rating
from cptrack.quality import observation
from cptrack.quality.observation import Source
from cptrack.quality.observation.framework import all_sources
from cptrack.quality.observation.seeds import ENV_SEEDS, seeds_dir, verify_source
from cptrack.rules import profiles
from cptrack.rules.profiles.registry import SECTIONS

NAMED_DOMAINS = {
    "preparation": "preparation and meeting the family beforehand",
    "voice": "child's voice and participation",
    "respect": "inclusion, respect and confidentiality",
    "contribution": "every professional contributing; fact distinguished from opinion",
    "risk": "analysis of risk",
    "plan": "the plan: smart, outcome focused, with a contingency",
    "decision": "decision making, category and dissent",
    "arrangements": "core group, review and visiting arrangements",
    "timeliness": "timeliness of the meeting and its records",
}


@pytest.fixture(scope="module")
def seeds():
    folder = seeds_dir()
    if not folder.is_dir():
        unavailable(f"the seeds are not at {folder} (set {ENV_SEEDS})")
    return folder


def _every_source():
    seen = set()
    for name in profiles.available():
        framework = observation.for_profile(profiles.load(name))
        for criterion, source in all_sources(framework):
            if (criterion.id, source) in seen:
                continue
            seen.add((criterion.id, source))
            yield pytest.param(source, id=f"{criterion.id}:{source.seed[:3]} {source.at}")


@pytest.mark.parametrize("source", list(_every_source()))
def test_every_source_is_in_its_seed_paragraph(source, seeds):
    """The cited seed file exists, has the paragraph or heading, and says the quoted words."""
    assert None is verify_source(source, seeds)


def test_every_criterion_cites_a_seed():
    """No criterion of any registered profile's framework is without a seed source."""
    for name in profiles.available():
        framework = observation.for_profile(profiles.load(name))
        for c in framework.criteria:
            assert any(s.seed for s in c.sources), f"{name}: {c.id} cites no seed"


def test_the_standard_framework_has_the_nine_domains_of_the_issue():
    """Every domain the issue names is there, titled as a QA lead would read it."""
    framework = observation.standard()
    titles = {d.id: d.title.lower() for d in framework.domains}
    assert NAMED_DOMAINS == {k: titles[k] for k in NAMED_DOMAINS}
    assert 6 == framework.interval_months
    assert all(len(d.criteria) >= 1 for d in framework.domains)


def test_the_seeds_the_issue_names_are_all_drawn_on():
    """000, 002, 003 and 004 each give criteria (001 too, for fact and opinion)."""
    prefixes = {s.seed[:3] for _, s in all_sources(observation.standard())}
    assert {"000", "001", "002", "003", "004"} == prefixes


@pytest.mark.parametrize(
    "source, problem",
    [
        (Source("Confirm quoracy", "003_b9b37e5469565ffe.txt", "§4.3"), "does not say"),
        (Source("Confirm quoracy", "003_b9b37e5469565ffe.txt", "§9.9"), "has no"),
        (Source("Confirm quoracy", "003_0000000000000000.txt", "§4.2"), "is not in"),
        (
            Source(
                "The Chair meets with the parents",
                "002_9ec2914b190489e4.txt",
                "Practice Guidance §2",
            ),
            "does not say",
        ),
        (
            Source(
                "Children and families are treated with respect",
                "000_8cc237e70824866b.txt",
                "Quality Standards for Conference Chairs",
            ),
            "does not say",
        ),
        (Source("anything", "000_8cc237e70824866b.txt", "No Such Heading"), "has no"),
    ],
)
def test_the_check_refuses_a_wrong_citation(source, problem, seeds):
    """A quote from another paragraph, a paragraph or file that is not there, or words under
    another heading are all caught."""
    message = verify_source(source, seeds)
    assert message is not None and problem in message


def test_the_check_accepts_the_same_words_in_the_right_place(seeds):
    """The counterpart of the refusals: right paragraph, right heading."""
    assert None is verify_source(
        Source("Confirm quoracy", "003_b9b37e5469565ffe.txt", "§4.2"), seeds
    )
    assert None is verify_source(
        Source(
            "Children and families are treated with respect",
            "000_8cc237e70824866b.txt",
            "Quality Standards for Children and Families",
        ),
        seeds,
    )


def test_a_citation_reads_as_profiles_cite_their_rules():
    """`file at: "words"` for the record; the authority's name for the reader."""
    source = Source("Confirm quoracy", "003_b9b37e5469565ffe.txt", "§4.2")
    assert '003_b9b37e5469565ffe.txt §4.2: "Confirm quoracy"' == source.citation
    assert "Sunderland §4.2" == source.short
    assert (
        'Authority A, "Quality Standards for Conference Chairs"'
        == Source("q", "000_8cc237e70824866b.txt", "Quality Standards for Conference Chairs").short
    )
    assert ("Practice Guidance", "3") == (
        Source("q", "002_9ec2914b190489e4.txt", "Practice Guidance §3").section,
        Source("q", "002_9ec2914b190489e4.txt", "Practice Guidance §3").paragraph,
    )


def test_the_scale_has_the_four_judgements_and_not_observed():
    """Outstanding, Good, Requires improvement to be good, Inadequate; Not observed aside."""
    assert [
        "Outstanding",
        "Good",
        "Requires improvement to be good",
        "Inadequate",
    ] == [g.label for g in observation.JUDGEMENTS]
    assert 0 == observation.GRADE[Rating.NOT_OBSERVED].score
    assert "Good" == observation.grade_for_score(2.5).label
    assert "Requires improvement to be good" == observation.grade_for_score(2.4).label
    assert "Outstanding" == observation.grade_for_score(3.5).label


# ---------------------------------------------------------------------------
# An authority's adjustments


def _profile(tmp_path, body: str):
    path = tmp_path / "my-la.toml"
    path.write_text('extends = "national"\n' + textwrap.dedent(body), encoding="utf-8")
    return profiles.load_file(path)


def test_shipped_profiles_adjust_the_standard_framework():
    """Dorset adds its plan of support; authority A its wipeboard; national is standard."""
    national = observation.for_profile(profiles.load("national"))
    dorset = observation.for_profile(profiles.load("dorset"))
    authority_a = observation.for_profile(profiles.load("authority-a"))
    assert observation.standard() == national
    assert "plan" == dorset.criterion("dorset_plan_of_support_first").domain
    assert len(national.criteria) + 1 == len(dorset.criteria)
    assert {"a_wipeboard", "a_time_out"} <= {c.id for c in authority_a.domain("voice").criteria}


def test_a_profile_drops_renames_and_adds(tmp_path):
    """drop removes a domain or criterion; a known domain id changes its title; a new id
    adds a domain; interval_months changes how often chairs are observed."""
    p = _profile(
        tmp_path,
        """
        [observation]
        interval_months = 4
        drop = ["follow_up", "timeliness_stand_down"]

        [[observation.domains]]
        id = "voice"
        title = "The voice of the child"

        [[observation.domains]]
        id = "midway"
        title = "Between conferences"
        [[observation.domains.criteria]]
        id = "midway_tracking"
        text = "Tracks the plan's progress at a midway review."
        sources = [{ seed = "004_112bca42ee448b63.txt", at = "§4.14", quote = "The QARO will track progress of the Child Protection plan at a midway review." }]
        """,
    )
    f = observation.for_profile(p)
    ids = [d.id for d in f.domains]
    assert "follow_up" not in ids and "midway" == ids[-1]
    assert "The voice of the child" == f.domain("voice").title
    assert "timeliness_stand_down" not in {c.id for c in f.criteria}
    assert 4 == f.interval_months


def test_a_profile_can_replace_a_criterion_by_id(tmp_path):
    """A criterion entry with a known id changes that criterion where it stands."""
    p = _profile(
        tmp_path,
        """
        [[observation.domains]]
        id = "plan"
        [[observation.domains.criteria]]
        id = "plan_smart"
        text = "The plan is SMART."
        """,
    )
    f = observation.for_profile(p)
    c = f.criterion("plan_smart")
    assert ("plan", "The plan is SMART.") == (c.domain, c.text)
    assert c.sources == observation.standard().criterion("plan_smart").sources


@pytest.mark.parametrize(
    "body, field, words",
    [
        ("[observation]\ndrop = ['no_such']\n", "drop", "is not a domain or criterion id"),
        ("[observation]\ncolour = 'red'\n", "colour", "is not a key of [observation]"),
        ("[observation]\ninterval_months = 0\n", "interval_months", "give 1 to 36 months"),
        (
            "[[observation.domains]]\nid = 'x_new'\ntitle = 'New'\n"
            "[[observation.domains.criteria]]\nid = 'x_one'\ntext = 'Something.'\n",
            "sources",
            "every criterion cites at least one source",
        ),
        (
            "[[observation.domains]]\nid = 'x_new'\ntitle = 'New'\n"
            "[[observation.domains.criteria]]\nid = 'x_one'\ntext = 'Something.'\n"
            "sources = [{ seed = 'policy.txt', at = '§1', quote = 'q' }]\n",
            "sources",
            "is not a seed file name",
        ),
        (
            "[[observation.domains]]\nid = 'empty_one'\ntitle = 'Empty'\n",
            "criteria",
            "at least one criterion",
        ),
    ],
)
def test_a_bad_observation_section_is_refused_naming_the_field(tmp_path, body, field, words):
    """Mistakes in the section are refused like any profile mistake: where, field, why."""
    with pytest.raises(profiles.ProfileError) as exc:
        _profile(tmp_path, body)
    assert any(p.field == field and words in p.message for p in exc.value.problems), str(exc.value)


def test_base_none_starts_an_authority_framework_from_nothing(tmp_path):
    """An authority with its own form replaces the standard framework whole."""
    p = _profile(
        tmp_path,
        """
        [observation]
        base = "none"
        name = "Our form"
        [[observation.domains]]
        id = "ours"
        title = "Our domain"
        [[observation.domains.criteria]]
        id = "ours_one"
        text = "Something we look for."
        sources = [{ url = "https://example.org/our-standards", quote = "what we look for" }]
        """,
    )
    f = observation.for_profile(p)
    assert ["ours_one"] == [c.id for c in f.criteria]
    assert "Our form" == f.name


def test_the_section_and_every_domain_are_documented():
    """docs/standards-profiles.md lists every registered section; docs/qa.md every domain."""
    from conftest import ROOT

    profiles_doc = (ROOT / "docs" / "standards-profiles.md").read_text(encoding="utf-8")
    for name, (target, _) in SECTIONS.items():
        assert f"`[{name}]` | `{target}`" in profiles_doc
    qa_doc = (ROOT / "docs" / "qa.md").read_text(encoding="utf-8")
    for d in observation.standard().domains:
        assert f"(`{d.id}`)" in qa_doc, d.id
