"""What the QA dashboard computes, on hand-made observations and feedback, and on the demo."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cptrack.casework.qa.dashboard import Dashboard
from cptrack.domain.models import today
from cptrack.quality import feedback, observation, questionnaires
from cptrack.quality.observation import summary
from cptrack.quality.observation.seeds import seeds_dir, verify_source
from cptrack.render import qa as render
from cptrack.storage.store import Store

D = dt.date
FW = observation.standard()
CHAIRS = pd.DataFrame({"id": [1, 2, 3], "name": ["Ann Able", "Ben Bold", "Cat Calm"]})


def _obs(oid, chair, date, ratings, judgement="good", status="complete"):
    return {
        "id": oid,
        "version": 1,
        "chair_id": chair,
        "observer_id": 9,
        "observer": "Q",
        "conference_id": None,
        "date": date,
        "framework": "national",
        "overall_judgement": judgement,
        "status": status,
        "chair": CHAIRS.set_index("id").at[chair, "name"],
        "ratings": [
            {"criterion": c, "domain": FW.criterion(c).domain, "rating": r}
            for c, r in ratings.items()
        ],
    }


@pytest.fixture
def obs() -> summary.Observations:
    rows = [
        _obs(
            1,
            1,
            D(2026, 1, 10),
            {
                "plan_smart": "good",
                "plan_contingency": "inadequate",
                "voice_child_views": "requires_improvement",
            },
        ),
        _obs(
            2,
            1,
            D(2026, 6, 20),
            {
                "plan_smart": "outstanding",
                "plan_contingency": "good",
                "voice_child_views": "not_observed",
            },
            "outstanding",
        ),
        _obs(
            3,
            2,
            D(2025, 11, 1),
            {"plan_smart": "good", "plan_contingency": "requires_improvement"},
            "requires_improvement",
        ),
    ]
    return summary.from_rows(pd.DataFrame(rows))


def test_the_heat_map_averages_each_domain_and_counts_ratings_below_good(obs):
    """Ann's plan: good 3, inadequate 1, outstanding 4, good 3 → mean 2.75 (Good), 1 below;
    her voice: one RI (Not observed left out)."""
    hm = summary.domain_heatmap(obs, FW, by="chair")
    assert 2.75 == hm.mean.at[1, "plan"]
    assert (4, 1) == (hm.rated.at[1, "plan"], hm.below_good.at[1, "plan"])
    assert (2.0, 1) == (hm.mean.at[1, "voice"], hm.rated.at[1, "voice"])
    assert pd.isna(hm.mean.at[1, "timeliness"]) and 0 == hm.rated.at[1, "timeliness"]
    assert ["Ann Able", "Ben Bold"] == hm.rows["label"].tolist()
    by_obs = summary.domain_heatmap(obs, FW, by="observation")
    assert [2, 1, 3] == by_obs.rows.index.tolist()  # newest first
    assert 3.5 == by_obs.mean.at[2, "plan"]


def test_the_heat_map_html_says_each_grade_in_words(obs):
    """Colour is never the only signal: every cell names its grade and its numbers."""
    html = render.heatmap(summary.domain_heatmap(obs, FW), FW)
    assert "<b>Good</b><span>2.8 from 4</span><span>1 below Good</span>" in html
    assert "<b>Requires improvement</b><span>2.0 from 1</span>" in html
    assert "Not rated" in html
    assert "6. The plan" in html


def test_criteria_below_good_are_ranked_across_the_service(obs):
    """The contingency plan is below Good twice out of three; the child's views once."""
    table = summary.below_good(obs, FW)
    assert ["plan_contingency", "voice_child_views"] == table["criterion"].tolist()
    assert [2, 1] == table["below_good"].tolist()
    assert [3, 1] == table["rated"].tolist()
    assert [1, 0] == table["inadequate"].tolist()


def test_the_trend_follows_one_chair_in_date_order(obs):
    trend = summary.trend(obs, FW, 1)
    assert [1, 2] == trend["id"].tolist()
    assert [3.0, 4.0] == trend["overall_score"].tolist()
    assert [2.0, 3.5] == trend["plan"].tolist()


def test_observations_are_counted_per_chair_and_quarter(obs):
    """Every chair is listed, Cat with none."""
    table = summary.per_chair_and_period(obs, CHAIRS)
    assert ["2025 Q4", "2026 Q1", "2026 Q2", "Total"] == table.columns.tolist()
    assert [0, 1, 1, 2] == table.loc["Ann Able"].tolist()
    assert [0, 0, 0, 0] == table.loc["Cat Calm"].tolist()


@pytest.mark.parametrize(
    "as_of, months, flagged",
    [
        (D(2026, 12, 20), 6, {"Cat Calm", "Ben Bold"}),  # Ann's last: 20 June, 6 months ago
        (D(2026, 12, 21), 6, {"Cat Calm", "Ben Bold", "Ann Able"}),
        (D(2026, 7, 1), 12, {"Cat Calm"}),
        (D(2026, 7, 1), 3, {"Cat Calm", "Ben Bold"}),
    ],
)
def test_chairs_not_observed_within_the_interval_are_flagged(obs, as_of, months, flagged):
    """Observed on the day the interval starts still counts; never observed is flagged."""
    table = summary.not_observed_within(obs, CHAIRS, as_of, months)
    assert flagged == set(table.loc[table["overdue"], "chair"])
    assert "Cat Calm" == table["chair"].iloc[0]  # never observed: first


def test_drafts_and_other_periods_are_left_out(obs):
    """between() keeps the period's observations and their ratings only."""
    part = obs.between(D(2026, 1, 1), D(2026, 3, 31))
    assert [1] == part.observations["id"].tolist()
    assert {1} == set(part.ratings["observation_id"])


def test_markup_in_a_chairs_name_is_shown_as_text(obs):
    """Free text is escaped in the heat map and the tables."""
    obs.observations.loc[obs.observations["chair_id"] == 1, "chair"] = "<b onclick=x>Ann</b>"
    html = render.heatmap(summary.domain_heatmap(obs, FW), FW)
    assert "<b onclick" not in html and "&lt;b onclick=x&gt;Ann&lt;/b&gt;" in html


# ---------------------------------------------------------------------------
# Feedback


def _feedback_frames() -> feedback.FeedbackFrames:
    conf = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "child_id": ["C1", "C2", "C3", "C4"],
            "meeting_ref": ["M1", "M1", None, None],
            "chair_id": [1, 1, 1, 2],
            "chair": ["Ann Able", "Ann Able", "Ann Able", "Ben Bold"],
            "type": ["review"] * 4,
            "held_date": pd.to_datetime(["2026-02-02", "2026-02-02", "2026-05-05", "2026-05-06"]),
            "feedback_sought": [True, None, False, None],
        }
    )
    conf["meeting"] = conf["meeting_ref"].where(
        conf["meeting_ref"].notna(), "c" + conf["id"].astype(str)
    )
    fb = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "conference_id": [1, 2, 1],
            "respondent": ["parent", "child", "professional"],
            "status": ["received", "received", "declined"],
            "answers": [{"prepared": 5, "listened": 3}, {"listened": 4}, {}],
            "chair_id": [1, 1, 1],
            "held_date": pd.to_datetime(["2026-02-02"] * 3),
        }
    )
    return feedback.FeedbackFrames(conf, fb, D(2026, 1, 1), D(2026, 6, 30))


def test_feedback_is_summarised_by_chair():
    """Siblings at one meeting are one conference; sought if sought for any child; scores
    averaged per response; answers of 4 or 5 agree."""
    table = feedback.summary_by_chair(_feedback_frames()).set_index("chair")
    ann = table.loc["Ann Able"]
    assert (2, 1, 0) == (ann["conferences"], ann["sought"], ann["not_recorded"])
    assert (1, 1, 0, 1) == (
        ann["child"],
        ann["parent"],
        ann["professional"],
        ann["declined_or_not_returned"],
    )
    assert 4.0 == ann["mean_score"]  # parent 4.0, child 4.0
    assert 75.0 == ann["positive_pct"]  # parent half, child all
    ben = table.loc["Ben Bold"]
    assert (1, 0, 1) == (ben["conferences"], ben["sought"], ben["not_recorded"])


def test_feedback_is_summarised_by_quarter_and_question():
    by_period = feedback.summary_by_period(_feedback_frames())
    assert ["2026 Q1", "2026 Q2"] == by_period["period"].tolist()
    assert [1, 2] == by_period["conferences"].tolist()
    questions = feedback.question_summary(_feedback_frames()).set_index(["respondent", "question"])
    assert (1, 3.0) == tuple(questions.loc[("parent", "listened"), ["answers", "mean_score"]])
    assert 0 == questions.loc[("professional", "contributed"), "answers"]


def test_each_conference_of_a_chair_says_whether_feedback_was_sought():
    table = feedback.conferences_for_chair(_feedback_frames(), 1)
    assert [True, False] == table["sought"].tolist()[::-1]
    assert ["C1, C2", "C3"] == table["children"].tolist()[::-1]
    assert [1, 0] == table["parent"].tolist()[::-1]


def test_every_feedback_question_cites_a_seed_that_says_it():
    """Like the framework: each question's sources are in 000 or 001, quoted."""
    seeds = seeds_dir()
    if not seeds.is_dir():
        from conftest import unavailable

        unavailable(f"the seeds are not at {seeds}")
    for where, source in questionnaires.all_sources():
        assert source.seed[:3] in ("000", "001"), where
        assert None is verify_source(source, seeds), where


# ---------------------------------------------------------------------------
# The demo


def test_the_demo_has_a_year_of_observations_and_feedback(demo_db):
    """Most chairs observed in the last year, one overdue; children's (some in simpler
    wording), parents' and professionals' feedback; drafts none; all dated within the year."""
    with Store.open(demo_db) as store:
        board = Dashboard.open(store)
        obs = board.observations.observations
        assert len(obs) >= 3 * len(board.chairs) - 3
        assert {"complete", "awaiting_reflection"} >= set(obs["status"])
        flagged = board.not_observed()
        assert 1 <= flagged["overdue"].sum() < len(flagged)
        fb = store.rows("feedback")
    assert {"child", "parent", "professional"} == {f["respondent"] for f in fb}
    assert any(f["simple_wording"] for f in fb)
    assert {"received", "declined", "not_returned"} == {f["status"] for f in fb}
    assert min(f["date"] for f in fb) >= today() - dt.timedelta(days=365)
    assert not board.below_good().empty


def test_the_demo_observations_are_deterministic(tmp_path):
    """The same seed and date give the same observations and feedback."""
    from cptrack.demo import synthetic as demo

    as_of = D(2026, 9, 30)
    made = [demo.generate(120, seed=3, as_of=as_of) for _ in range(2)]
    assert made[0]["observations"] == made[1]["observations"]
    assert made[0]["feedback"] == made[1]["feedback"]
    other = demo.generate(120, seed=4, as_of=as_of)
    assert made[0]["feedback"] != other["feedback"]


def test_every_demo_observation_and_feedback_passes_validation(demo_db):
    """The synthetic rows would be accepted through the store, checks and all."""
    from cptrack.domain import models
    from cptrack.storage import integrity

    with Store.open(demo_db) as store, store.engine.connect() as conn:
        for kind in ("observations", "feedback"):
            for row in store.rows(kind):
                models.kind(kind).check(row)
                assert [] == integrity.check(conn, kind, row, row)


def test_the_trend_chart_takes_any_chair_name(obs):
    """Markup and mathtext dollars in a name are shown as written, in the chart's text too."""
    html = render.trend_chart(summary.trend(obs, FW, 1), FW, 'Ann "$x_1$" <i>')
    assert 'alt="Ann &quot;$x_1$&quot; &lt;i&gt;, overall judgements: ' in html
    assert "<i>" not in html
    assert 'id="trend-table"' in html
