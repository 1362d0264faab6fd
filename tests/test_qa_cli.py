"""`cptrack observations`: chairs due an observation, one chair's grades, the framework."""

from __future__ import annotations

from cptrack.casework.qa.dashboard import Dashboard
from cptrack.cli import main
from cptrack.quality import observation
from cptrack.storage.store import Store


def test_every_chair_is_listed_with_whether_an_observation_is_due(demo_db, capsys):
    """The chairs flagged DUE are those the dashboard flags."""
    assert 0 == main(["observations", "--db", demo_db])
    out = capsys.readouterr().out
    with Store.open(demo_db) as store:
        flagged = Dashboard.open(store).not_observed()
    for r in flagged.itertuples():
        line = next(x for x in out.splitlines() if x.startswith(r.chair[:28]))
        assert line.endswith("DUE" if r.overdue else "no"), line


def test_one_chairs_observations_show_a_grade_per_domain(demo_db, capsys):
    with Store.open(demo_db) as store:
        board = Dashboard.open(store)
        chair = board.chairs["name"].iloc[0]
        board.trend_chair = int(board.chairs["id"].iloc[0])
        expected = len(board.trend())
    assert 0 == main(["observations", "--db", demo_db, "--chair", chair.split()[-1]])
    lines = capsys.readouterr().out.splitlines()
    assert f"{chair}: {expected} observations (submitted or complete)" == lines[0]
    assert expected == sum(1 for x in lines if x[:4].isdigit())


def test_an_unknown_chair_or_period_is_refused(demo_db, capsys):
    assert 2 == main(["observations", "--db", demo_db, "--chair", "Nobody Atall"])
    assert "0 chairs match 'Nobody Atall'" in capsys.readouterr().err
    assert 2 == main(
        ["observations", "--db", demo_db, "--from", "2026-05-01", "--to", "2026-01-01"]
    )


def test_the_framework_is_printed_with_every_citation(capsys):
    """Every criterion id and source of Dorset's framework, quoted."""
    assert 0 == main(["observations", "--framework", "dorset"])
    out = capsys.readouterr().out
    from cptrack.rules import profiles

    framework = observation.for_profile(profiles.load("dorset"))
    for c in framework.criteria:
        assert f"[{c.id}]" in out
        for s in c.sources:
            assert s.citation in out
