"""Standards profiles: the registry, the citations, inheritance, and refusing bad files."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, unavailable
from cptrack.quality.observation.seeds import seeds_dir
from cptrack.rules import profiles
from cptrack.rules.profiles import ProfileError
from cptrack.rules.profiles.registry import REGISTRY, SECTIONS
from cptrack.rules.profiles.settings import SETTINGS, setting_problem
from cptrack.rules.sources import NATIONAL_FIGURES

SEEDS = seeds_dir()  # CPTRACK_SEEDS, else ../shared/seeds
PROFILE_DIR = Path(profiles.__file__).parent


def _seed_text(name: str) -> str:
    if not SEEDS.is_dir():
        unavailable(f"the seeds are not at {SEEDS}")
    path = SEEDS / name
    assert path.is_file(), f"citation names {name}, which is not in {SEEDS}"
    return path.read_text(encoding="utf-8")


def _normalise(text: str) -> str:
    return " ".join(text.replace("**", "").replace("*", "").split())


def _paragraph(text: str, number: str) -> str | None:
    """The line holding numbered paragraph ``number`` ("4.14", or "1" for "1. Purpose")."""
    pattern = rf"^\s*(?:- )?{re.escape(number)}(?:\.\s|\s)"
    for line in text.splitlines():
        if re.match(pattern, line):
            return line
    return None


def _all_citations():
    for name in profiles.available():
        p = profiles.load(name)
        for r in p.rules:
            if r.citation:  # a local setting or the plan's own record cites nothing
                yield pytest.param(r.citation, id=f"{name}:{r.id}")
        for setting, cite in p.setting_citations.items():
            yield pytest.param(cite, id=f"{name}:settings.{setting}")


def test_every_file_is_registered_and_every_registered_profile_loads():
    """Like holidays' registry test: the .toml files here and the registry agree."""
    on_disk = {p.name for p in PROFILE_DIR.glob("*.toml")}
    assert on_disk == set(REGISTRY.values())
    for name in profiles.available():
        p = profiles.load(name)
        assert p.id == name
        assert p.rules, f"{name} has no rules"


@pytest.mark.parametrize("citation", list(_all_citations()))
def test_citation_points_into_a_seed_or_a_public_url(citation):
    """A seed citation names an existing file, paragraphs that exist, and words it really says."""
    if citation.startswith("https://"):
        assert re.match(r"^https://[\w.-]+\.[a-z]{2,}/\S*", citation)
        return
    name = citation.split()[0].rstrip(",")
    text = _seed_text(name)
    numbers = re.findall(r"§([\d.]+\d|\d)", citation)
    quotes = re.findall(r'"([^"]+)"', citation)
    assert numbers or quotes, "a seed citation needs a paragraph (§N) or a quoted heading"
    paragraphs = []
    for number in numbers:
        line = _paragraph(text, number)
        assert line is not None, f"{name} has no paragraph {number}"
        paragraphs.append(_normalise(line))
    flat = _normalise(text)
    for quote in quotes:
        q = _normalise(quote)
        assert q in flat, f"{name} does not say {quote!r}"
    if paragraphs:
        # The quoted words are in one of the cited paragraphs (the last quote is the words).
        assert any(_normalise(quotes[-1]) in p for p in paragraphs), (
            f"{quotes[-1]!r} is not in {name} §{', §'.join(numbers)}"
        )


def test_working_together_is_cited_only_for_the_four_figures_it_fixes():
    """Working Together 2023 fixes the ICPC within 15 working days, the first review within 3
    months, later reviews within 6 and the first core group within 10 working days, and no
    other figure (DOMAIN.md §2): every rule of every profile that cites it states one of them."""
    fixed = {
        (f.event, f.anchor, f.amount, f.unit)
        for f in NATIONAL_FIGURES
        if f.document == "Working Together 2023"
    }
    assert {
        ("icpc", "strategy_discussion", 15, "working_days"),
        ("first_review", "icpc", 3, "months"),
        ("review", "previous_conference", 6, "months"),
        ("first_core_group", "icpc", 10, "working_days"),
    } == fixed
    for name in profiles.available():
        for r in profiles.load(name).rules:
            if "working together" in r.citation.lower() or "working-together" in r.citation:
                assert (r.event, r.anchor, r.amount, r.unit) in fixed, f"{name}:{r.id}"
                assert "national" == r.figure_basis


@pytest.mark.parametrize("name", profiles.available())
def test_every_rule_says_what_it_rests_on(name):
    """Each rule's basis is one of national, authority, plan or local; a local setting cites
    nothing and says so in words; national and authority rules cite their source."""
    for r in profiles.load(name).rules:
        assert r.basis in profiles.BASES and r.figure_basis in profiles.BASES, r.id
        if r.figure_basis == "local":
            assert "local setting" in r.basis_text, r.id
            assert "no national guidance or seed standard gives this figure" in r.basis_text
        if r.basis in ("national", "authority"):
            assert r.citation, r.id


@pytest.mark.parametrize(
    "rule, complaint",
    [
        # Working Together sets no visit frequency: citing it for one is refused.
        (
            {
                "id": "visits",
                "basis": "national",
                "event": "visit",
                "anchor": "previous_visit",
                "amount": 10,
                "unit": "working_days",
                "citation": NATIONAL_FIGURES[0].citation,
            },
            "national guidance and statistics fix no figure of 10 working days",
        ),
        # Nor may a local or authority rule borrow its name for a figure it does not fix.
        (
            {
                "id": "visits",
                "basis": "authority",
                "event": "visit",
                "anchor": "previous_visit",
                "amount": 10,
                "unit": "working_days",
                "citation": "https://www.gov.uk/government/publications/working-together-to-"
                "safeguard-children--2 (Working Together 2023: visits)",
            },
            "names national guidance or statistics, which fix no figure",
        ),
        # A national figure must cite where it is.
        (
            {
                "id": "icpc",
                "basis": "national",
                "event": "icpc",
                "anchor": "strategy_discussion",
                "amount": 15,
                "unit": "working_days",
                "citation": "https://example.org/guide",
            },
            "cite where the figure is",
        ),
        # An authority's standard cites its seed.
        (
            {
                "id": "visits",
                "basis": "authority",
                "event": "visit",
                "anchor": "previous_visit",
                "amount": 10,
                "unit": "working_days",
            },
            "is required for basis 'authority'",
        ),
        (
            {
                "id": "visits",
                "basis": "guesswork",
                "event": "visit",
                "anchor": "previous_visit",
                "amount": 10,
                "unit": "working_days",
            },
            "'guesswork' is not one of national, authority, plan, local",
        ),
    ],
)
def test_a_rule_citing_a_source_for_a_figure_it_lacks_is_refused(rule, complaint):
    """A citation is a promise: a rule whose source does not give its figure is refused."""
    entry = {"text": "A rule.", "direction": "after", "applies_to": ["plan"], **rule}
    with pytest.raises(ProfileError) as refused:
        profiles.from_dict({"authority": {"name": "Test"}, "rules": [entry]}, profile_id="t")
    assert complaint in str(refused.value)


def test_a_local_setting_says_whose_figure_it_is():
    """National's visit frequency is cptrack's default; an authority's own value without a
    citation reads "set by this authority"; with its seed cited it is the authority's standard."""
    national = profiles.load("national").rule("visit_frequency")
    assert "local" == national.figure_basis
    assert "local setting, cptrack's default: within 10 working days" in national.basis_text
    mine = profiles.from_dict(
        {
            "extends": "national",
            "authority": {"name": "Mine"},
            "settings": {"visit_frequency_wd": 15},
        },
        profile_id="mine",
    ).rule("visit_frequency")
    assert "local setting, set by this authority: within 15 working days" in mine.basis_text
    bathnes = profiles.load("bathnes").rule("visit_frequency")
    assert ("authority", "this authority's standard: 002 Practice Guidance 8") == (
        bathnes.figure_basis,
        bathnes.basis_text,
    )


def test_national_holds_working_together_timescales():
    """National: ICPC 15 working days, first review 3 months, then 6, first core group 10."""
    p = profiles.load("national")
    expected = {
        "icpc_within_15wd": (15, "working_days"),
        "first_review_within_3m": (3, "months"),
        "review_within_6m": (6, "months"),
        "first_core_group_within_10wd": (10, "working_days"),
    }
    assert expected == {rid: (p.rule(rid).amount, p.rule(rid).unit) for rid in expected}


def test_authority_extends_national_and_overrides_by_id():
    """Sunderland keeps national rules, overrides the ICPC rule's text and citation only."""
    national, sund = profiles.load("national"), profiles.load("sunderland")
    assert {r.id for r in national.rules} <= {r.id for r in sund.rules}
    icpc = sund.rule("icpc_within_15wd")
    assert (icpc.amount, icpc.unit) == (15, "working_days")
    assert icpc.citation.startswith("003_b9b37e5469565ffe.txt §1.1")
    assert sund.setting("icpc_clock") == "first"
    assert national.setting("icpc_clock") == "s47"


def test_sunderland_holds_both_sides_of_its_contradictions():
    """§2.12 is applied, §6.24 and §4.20 are listed but not applied, with reasons."""
    p = profiles.load("sunderland")
    applied = p.rule("sunderland_family_reports_review_5wd")
    other = p.rule("sunderland_family_reports_review_7d")
    assert applied.applied
    assert not other.applied
    assert other.conflicts_with == applied.id
    assert "§2.12" in other.reason
    assert not p.rule("sunderland_family_reports_48h").applied
    assert not p.rule("sunderland_birth_arrangements_before_core_group").applied


def test_dorset_calls_its_chairs_qaro():
    """The chair's role label is a setting; Dorset's is QARO."""
    assert profiles.load("dorset").chair_role == "QARO"
    assert profiles.load("national").chair_role == "Chair"


def test_amount_from_a_setting_follows_the_setting():
    """A rule whose amount comes from a setting changes when the setting does."""
    national = profiles.load("national")
    assert national.rule("visit_frequency").amount == 10
    faster = profiles.with_settings(national, visit_frequency_wd=5)
    assert faster.rule("visit_frequency").amount == 5


def test_every_setting_is_documented():
    """Each declared setting has help text and a default that passes its own check."""
    for s in SETTINGS:
        assert len(s.help) > 20, s.name
        assert setting_problem(s, s.default) == "", s.name


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


GOOD_RULE = """
    [[rules]]
    id = "my_rule"
    basis = "authority"
    text = "Something happens within 5 working days of the conference."
    event = "minutes_distributed"
    anchor = "conference"
    amount = 5
    unit = "working_days"
    direction = "after"
    applies_to = ["initial", "review"]
    citation = "https://example.org/standards#5"
"""


def test_a_users_own_profile_loads_from_a_path(tmp_path):
    """A user's file extending national loads by path and adds its rule."""
    path = _write(tmp_path, 'extends = "national"\n[authority]\nname = "Mine"\n' + GOOD_RULE)
    p = profiles.load(str(path))
    assert p.name == "Mine"
    assert p.rule("my_rule").amount == 5
    assert p.rule("icpc_within_15wd").amount == 15
    assert profiles.check_file(path) == []


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (('unit = "working_days"', 'unit = "fortnights"'), "unit", "fortnights"),
        (('citation = "https://example.org/standards#5"', ""), "citation", "required"),
        (
            ('citation = "https://example.org/standards#5"', 'citation = "somewhere"'),
            "citation",
            "seed file",
        ),
        (('event = "minutes_distributed"', 'event = "tea_break"'), "event", "tea_break"),
        (('anchor = "conference"', 'anchor = "plan_start"'), "anchor", "plan_start"),
        (('direction = "after"', 'direction = "sideways"'), "direction", "sideways"),
        (("amount = 5", "amount = -1"), "amount", "-1"),
        (
            ('applies_to = ["initial", "review"]', 'applies_to = ["adoption"]'),
            "applies_to",
            "adoption",
        ),
        (("amount = 5", 'amount = 5\ncolour = "red"'), "colour", "not a rule field"),
        (("amount = 5", "amount = 5\napplied = false"), "reason", "why"),
        (("within 5 working", "within {days_allowed} working"), "text", "{days_allowed}"),
    ],
)
def test_a_bad_rule_is_refused_naming_the_rule_and_the_field(tmp_path, change, field, words):
    """Unknown units, events, anchors; missing citations: the message names rule and field."""
    old, new = change
    body = '[authority]\nname = "Mine"\n' + textwrap.dedent(GOOD_RULE).replace(old, new)
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ProfileError) as err:
        profiles.load(str(path))
    message = str(err.value)
    assert f"rule my_rule: {field}:" in message
    assert words in message
    assert [(p.where, p.field) for p in err.value.problems] == [("rule my_rule", field)]


@pytest.mark.parametrize(
    ("body", "where", "field"),
    [
        ('[authority]\nname = "X"\n[settings]\nicpc_clock = "middle"\n', "settings", "icpc_clock"),
        (
            '[authority]\nname = "X"\n[settings]\nvisits_per_fortnight = 2\n',
            "settings",
            "visits_per_fortnight",
        ),
        ('[authority]\nname = "X"\n[checklsit]\nitems = []\n', "[checklsit]", "checklsit"),
        ('extends = "narnia"\n[authority]\nname = "X"\n', "extends", "extends"),
        ("[authority]\n", "authority", "name"),
        ('[authority]\nname = "X"\n[[rules]\n', "file", "syntax"),
    ],
)
def test_bad_settings_sections_and_syntax_are_refused(tmp_path, body, where, field):
    """Unknown settings and sections, bad choices, a missing parent, broken TOML: all named."""
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    problems = profiles.check_file(path)
    assert [(where, field)] == [(p.where, p.field) for p in problems]


def test_an_unknown_profile_name_lists_the_known_ones():
    """A typo in a profile name says which names exist."""
    with pytest.raises(ProfileError, match="sunderland"):
        profiles.load("sunderlnd")


def test_an_applied_rule_on_an_uncheckable_event_is_refused(tmp_path):
    """cptrack records no CIN meetings, so a profile cannot claim to check them."""
    body = GOOD_RULE.replace('event = "minutes_distributed"', 'event = "cin_meeting"')
    path = _write(tmp_path, '[authority]\nname = "X"\n' + body)
    problems = profiles.check_file(path)
    assert [(p.where, p.field) for p in problems] == [("rule my_rule", "applied")]


def test_an_extension_section_is_parsed_by_its_registered_function(tmp_path, monkeypatch):
    """A section named in SECTIONS is validated by its function and kept on the profile."""
    monkeypatch.setitem(SECTIONS, "checklist", ("tests.test_profiles:_parse_checklist", ""))
    path = _write(tmp_path, 'extends = "national"\n[checklist]\nitems = ["interpreter", "venue"]\n')
    assert profiles.load(str(path)).sections["checklist"] == ["interpreter", "venue"]
    bad = _write(tmp_path, 'extends = "national"\n[checklist]\nitems = "venue"\n')
    assert [(p.where, p.field) for p in profiles.check_file(bad)] == [("checklist", "items")]


def _parse_checklist(value, problems):
    items = value.get("items")
    if not isinstance(items, list):
        problems.append(profiles.Problem("checklist", "items", "should be a list"))
        return []
    return items


def test_every_setting_and_event_is_in_the_docs():
    """docs/standards-profiles.md lists every setting and every event (like datasette's docs test)."""
    doc = (ROOT / "docs" / "standards-profiles.md").read_text(encoding="utf-8")
    for s in SETTINGS:
        assert f"| `{s.name}` |" in doc, f"setting {s.name} is not documented"
    for event in profiles.EVENTS:
        assert f"| `{event}` |" in doc, f"event {event} is not documented"


def test_rule_texts_give_the_figures_not_the_settings_names(tmp_path):
    """A text names a setting in braces; the chair reads this profile's value, a list in
    words, and again after the page changes a setting."""
    names = [s.name for s in SETTINGS]
    for pid in profiles.available():
        for rule in profiles.load(pid).rules:
            assert not any(re.search(rf"\b{n}\b|[{{}}]", rule.text) for n in names), rule.text
    national = profiles.load("national")
    text = {r.id: r.text for r in national.rules}
    assert "every 10 working days" in text["visit_frequency"]
    assert "thresholds of 9, 15, 18 and 21 months" in text["plan_duration"]
    faster = profiles.with_settings(national, visit_frequency_wd=7)
    assert "every 7 working days" in next(r.text for r in faster.rules if r.id == "visit_frequency")
    mine = _write(
        tmp_path,
        """
        extends = "national"
        [authority]
        name = "Mine"
        [settings]
        seen_alone_frequency_wd = 15
    """,
    )
    seen = next(r for r in profiles.load(str(mine)).rules if r.id == "seen_alone")
    assert "every 15 working days" in seen.text and seen.amount == 15


@pytest.mark.parametrize("name", profiles.available())
def test_the_docs_show_each_profiles_rules_with_their_bases(name):
    """docs/standards-profiles.md holds `cptrack profiles --show NAME --markdown` as printed."""
    from cptrack.cli.profiles import basis_table

    doc = (ROOT / "docs" / "standards-profiles.md").read_text(encoding="utf-8")
    assert f"#### `{name}`\n\n{basis_table(profiles.load(name))}\n" in doc
