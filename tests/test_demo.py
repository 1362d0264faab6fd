"""The synthetic caseload: deterministic, valid, and with every stage a check needs."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from cptrack import caseload, engine, measures
from cptrack.demo import synthetic as demo
from cptrack.demo.people import DemoConfig
from cptrack.domain import models
from cptrack.rules import profiles, workdays
from cptrack.storage.store import Store
from cptrack.storage.tables import TABLES

AS_OF = dt.date(2026, 11, 22)


def table_contents(path: str) -> dict[str, list[tuple]]:
    with Store.open(path) as store, store.engine.connect() as conn:
        return {
            name: [tuple(r) for r in conn.execute(sa.select(t).order_by(t.c.id))]
            for name, t in TABLES.items()
        }


@pytest.fixture(scope="module")
def rows() -> dict:
    return demo.generate(children=400, seed=3, as_of=AS_OF)


@pytest.fixture(scope="module")
def load(tmp_path_factory) -> caseload.Caseload:
    path = str(tmp_path_factory.mktemp("demo") / "d.sqlite")
    with Store.open(path, migrate=True) as store:
        demo.populate(store, children=400, seed=3, as_of=AS_OF)
        return caseload.load(store)


def test_same_seed_same_data(tmp_path):
    """Two databases from the same seed and date hold identical rows in every table."""
    paths = [str(tmp_path / f"{n}.sqlite") for n in "xy"]
    for path in paths:
        with Store.open(path, migrate=True) as store:
            demo.populate(store, children=150, seed=1, as_of=AS_OF)
    assert table_contents(paths[0]) == table_contents(paths[1])


def test_a_different_seed_gives_different_people():
    """Another seed changes the caseload."""
    a = demo.generate(children=30, seed=1, as_of=AS_OF)["children"]
    b = demo.generate(children=30, seed=2, as_of=AS_OF)["children"]
    assert [c["given_name"] for c in a] != [c["given_name"] for c in b]


def test_worker_processes_do_not_change_the_data():
    """Chunks made in parallel equal chunks made one after another."""
    n = demo.CHUNK_CHILDREN + 300
    serial = list(demo.chunks(n, seed=5, as_of=AS_OF, workers=1))
    parallel = list(demo.chunks(n, seed=5, as_of=AS_OF, workers=2))
    assert len(serial) == len(parallel) == 3
    for a, b in zip(serial, parallel, strict=True):
        assert a.keys() == b.keys()
        for table in a:
            if isinstance(a[table], pd.DataFrame):
                pd.testing.assert_frame_equal(a[table], b[table])
            else:
                assert a[table] == b[table]


def test_the_requested_number_of_children_and_chairs(rows):
    """N children, ids C000001..; 4 chairs by default, more for big caseloads."""
    assert 400 == len(rows["children"])
    assert "C000400" == rows["children"][-1]["id"]
    chairs = [s for s in rows["staff"] if s["role"] == "chair"]
    assert 5 == len(chairs)  # 400 children at about 80 a chair
    assert 4 == DemoConfig(children=120).chairs


def test_every_row_is_a_valid_record(rows):
    """The generator writes only what the models accept."""
    for table, records in rows.items():
        cls = models.kind(table)
        if isinstance(records, pd.DataFrame):
            records = [
                {
                    k: (None if pd.isna(v) else v.date() if isinstance(v, pd.Timestamp) else v)
                    for k, v in r.items()
                }
                for r in records.astype(object).to_dict("records")
            ]
        for record in records:
            cls.check(record)


def test_every_stage_is_present(load):
    """Awaiting ICPC, new, 2nd-4th review, over two years, ended, repeat, pre-birth, siblings."""
    plans, conf = load.cp_plans, load.conferences
    as_of = pd.Timestamp(AS_OF)
    open_plans = plans[plans["end_date"].isna()]
    held_reviews = conf[(conf["type"] == "review") & conf["held_date"].notna()]
    reviews_per_plan = held_reviews.groupby("plan_id").size()
    initial_held = conf[
        conf["type"].isin(["initial", "pre_birth", "transfer_in"]) & conf["held_date"].notna()
    ]
    awaiting = set(load.s47_enquiries["child_id"]) - set(initial_held["child_id"])
    assert len(awaiting) >= 5
    assert (open_plans["start_date"] > as_of - pd.DateOffset(months=3)).sum() >= 10
    for n in (2, 3, 4):
        assert (reviews_per_plan == n).sum() >= 3, f"plans at review {n}"
    # about 2% of open plans, as in England (2.3%): a few in 400 children
    assert (open_plans["start_date"] < as_of - pd.DateOffset(years=2)).sum() >= 2
    assert plans["end_date"].notna().sum() >= 30
    assert (plans["previous_plans"] > 0).sum() >= 20
    assert plans["pre_birth"].sum() >= 3
    shared = conf.dropna(subset=["meeting_ref"]).groupby("meeting_ref")["child_id"].nunique()
    assert (shared >= 2).sum() >= 20, "sibling groups sharing conferences"
    assert (conf["type"] == "transfer_in").sum() >= 1


def test_some_things_are_late(load):
    """Enough late and missed events for the checks to find; most are on time."""
    conf, s47 = load.conferences, load.s47_enquiries
    icpc = conf[conf["type"].isin(["initial", "pre_birth"]) & conf["held_date"].notna()]
    icpc = icpc.merge(s47[["id", "start_date"]], left_on="s47_id", right_on="id")
    days = workdays.working_days_between(icpc["start_date"], icpc["held_date"])
    late_share = (days > 15).mean()
    assert 0.08 < late_share < 0.35
    visits = load.visits.sort_values(["child_id", "date"])
    gaps = workdays.working_days_between(
        visits.groupby("child_id")["date"].shift(), visits["date"]
    ).dropna()
    assert (gaps > 20).sum() >= 20, "missed visits"
    actions = load.plan_actions
    overdue = (actions["status"] == "open") & (actions["due_date"] < pd.Timestamp(AS_OF))
    assert 10 <= overdue.sum() <= 0.05 * len(actions)  # most actions are done by their date
    assert (load.escalations["status"] == "open").sum() >= 1


def test_the_database_keeps_its_promises(load):
    """No overlapping or double open plans, and reviews fall after their plan starts."""
    plans = load.cp_plans.sort_values(["child_id", "start_date"])
    assert (plans.groupby("child_id")["end_date"].apply(lambda s: s.isna().sum()) <= 1).all()
    prev_end = plans.groupby("child_id")["end_date"].shift()
    assert not (prev_end.notna() & (plans["start_date"] < prev_end)).any()
    reviews = load.conferences[load.conferences["type"] == "review"].merge(
        load.cp_plans[["id", "start_date"]], left_on="plan_id", right_on="id"
    )
    assert (reviews["scheduled_date"] > reviews["start_date"]).all()


@pytest.mark.postgres
def test_the_demo_loads_into_postgresql(pg_url: str):
    """The same caseload goes into PostgreSQL, and new records get fresh ids afterwards."""
    with Store.open(pg_url, migrate=True) as store:
        counts = demo.populate(store, children=60, seed=2, as_of=AS_OF)
        assert 60 == store.count("children")
        assert counts["visits"] == store.count("visits")
        added = store.add("teams", {"name": "New team"})
        assert added["id"] > max(r["id"] for r in store.rows("teams") if r["id"] != added["id"])
        assert ["bulk_insert"] == [a["action"] for a in store.audit("visits")]


@pytest.mark.postgres
def test_a_caseload_loads_alike_from_postgresql_and_sqlite(pg_url: str, sqlite_url: str):
    """Each driver hands its own types over (PostgreSQL dates, booleans and parsed JSON;
    SQLite text and integers): the frames loaded, whole and for one chair, are the same."""
    loaded = []
    for url in (sqlite_url, pg_url):
        with Store.open(url, migrate=True) as store:
            demo.populate(store, children=60, seed=2, as_of=AS_OF)
            chair = store.rows("children")[0]["chair_id"]
            loaded.append((caseload.load(store), caseload.load(store, chair_id=chair)))
    for lite, pg in zip(*loaded, strict=True):
        for name, frame in lite.frames().items():
            pd.testing.assert_frame_equal(frame, getattr(pg, name), obj=name)
    assert len(loaded[0][0].visits) > 0 and len(loaded[0][1].children) > 0


def test_the_demo_goes_only_into_an_empty_database(fresh_demo_db: str):
    """Running the demo over existing children is refused."""
    with Store.open(fresh_demo_db) as store, pytest.raises(ValueError, match="already holds"):
        demo.populate(store, children=10)


def test_cin_plans_end_after_they_start():
    """No CIN plan ends before it starts, even when a conference falls on the as-of day."""
    for seed in range(1, 6):
        rows = demo.generate(children=300, seed=seed, as_of=AS_OF)
        for plan in rows["cin_plans"]:
            assert plan.get("end_date") is None or plan["end_date"] >= plan["start_date"]


# -- A caseload that reads like a real authority's (issue 13, item 5) ---------------------

# England, Children in need statistics 2025 (DOMAIN.md §3), and how near the demo must come.
ENGLAND = {
    "Plans starting that were second or subsequent": (24.5, 6),
    "Plans open at the end of the period lasting 2 years or more": (2.3, 3),
    "Plans ending in the period that lasted 2 years or more": (4.4, 4),
    "ICPCs within 15 working days of the strategy discussion": (81, 6),
}
YEAR = (dt.date(2025, 11, 1), dt.date(2026, 10, 31))  # the timeliness report's 12 months


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> caseload.Caseload:
    """2,000 children, seed 1: enough plans for the DfE percentages to mean something."""
    path = str(tmp_path_factory.mktemp("demo") / "large.sqlite")
    with Store.open(path, migrate=True) as store:
        demo.populate(store, children=2000, seed=1, as_of=dt.date(2026, 11, 23))
        return caseload.load(store)


@pytest.fixture(scope="module")
def findings(load) -> pd.DataFrame:
    return engine.evaluate(load, profiles.load("national"), AS_OF)


def test_the_dfe_measures_come_near_englands(large):
    """Over the 12 months the timeliness report shows (as of 23 November 2026), each DfE
    measure it prints beside the England figure is within a few points of it, the median
    ICPC within a day of 14, and nearly nine reviews in ten or more are held in timescale."""
    m = measures.national_measures(large, *YEAR)
    got = m.summary().set_index("measure")["percent"]
    for measure, (england, tolerance) in ENGLAND.items():
        assert abs(got[measure] - england) <= tolerance, (measure, got[measure])
    assert abs(m.icpc_median_working_days - 14) <= 1
    assert got["Review conferences held in timescale"] >= 88


@pytest.mark.parametrize(
    "as_of",
    [dt.date(2026, 11, 23), dt.date(2026, 12, 7), dt.date(2026, 12, 23), dt.date(2027, 5, 3)],
)
def test_most_children_on_a_plan_are_green_on_the_day(tmp_path, as_of):
    """On the default demo (120 children, seed 1), under the national profile, at most a
    third of the children on a plan have a live red item, and no live item is overdue by more
    than six months (issue 13: a chair can find today's real problem)."""
    with Store.open(str(tmp_path / "default.sqlite"), migrate=True) as store:
        demo.populate(store, children=120, seed=1, as_of=as_of)
        default = caseload.load(store)
    findings = engine.evaluate(default, profiles.load("national"), as_of)
    on_plan = set(caseload.open_plans(default.cp_plans, as_of)["child_id"])
    live = findings[findings["live"]]
    red = set(live.loc[live["rag"] == "red", "child_id"].astype(str)) & on_plan
    assert len(red) <= len(on_plan) / 3, f"{len(red)} of {len(on_plan)} children red"
    overdue = live[live["status"] == "overdue"]
    assert not (overdue["days_late"] > 183).any(), overdue[overdue["days_late"] > 183]


def test_plan_actions_are_closed_or_carried_at_the_next_conference(load):
    """No action is left open from before the plan's latest conference: one not done by then
    was closed there, or carried into the new plan (the new action says so)."""
    actions = load.plan_actions
    overdue = actions[(actions["status"] == "open") & (actions["due_date"] < pd.Timestamp(AS_OF))]
    reviewed = load.conferences.dropna(subset=["held_date"]).groupby("plan_id")["held_date"].max()
    after = overdue["set_date"] < overdue["plan_id"].map(reviewed)
    assert 0 == after.sum(), "open actions set before the plan's latest conference"
    carried = actions[actions["description"].str.contains("carried forward from the plan of")]
    assert len(carried) > 0


def late_subjects(findings: pd.DataFrame, events: tuple[str, ...]) -> pd.DataFrame:
    f = findings[findings["event"].isin(events) & (findings["status"] == "met_late")]
    return f[["subject_table", "subject_id"]].astype({"subject_table": str, "subject_id": int})


def test_every_late_item_has_its_reason_recorded(load, findings):
    """Each conference held or booked out of timescale records why; each late visit, late
    or cancelled core group and late escalation reply says why in its notes or reply; every
    visit at which a child was not seen alone says why."""
    conf = load.conferences.set_index("id")
    late = late_subjects(findings, ("icpc", "first_review", "review"))
    assert len(late) > 10
    assert conf.loc[late["subject_id"], "out_of_timescale_reason"].notna().all()
    booked_late = findings[
        findings["event"].isin(("icpc", "first_review", "review"))
        & (findings["status"] == "overdue")
        & findings["live"]
        & findings["booked_date"].notna()
    ]
    booked = load.conferences[load.conferences["held_date"].isna()].set_index(
        ["child_id", "scheduled_date"]
    )
    keys = list(zip(booked_late["child_id"].astype(str), booked_late["booked_date"], strict=True))
    assert booked.loc[keys, "out_of_timescale_reason"].notna().all()
    visits = load.visits.set_index("id")
    late = late_subjects(findings, ("visit",))
    assert len(late) > 10
    assert visits.loc[late["subject_id"], "notes"].notna().all()
    not_alone = load.visits[load.visits["seen"] & ~load.visits["seen_alone"]]
    assert not_alone["notes"].notna().all()
    groups = load.core_groups.set_index("id")
    late = late_subjects(findings, ("first_core_group", "core_group"))
    assert len(late) > 5
    assert groups.loc[late["subject_id"], "notes"].notna().all()
    assert groups.loc[groups["status"] == "cancelled", "notes"].notna().all()
    esc = load.escalations
    replied_late = esc["response_date"].isna() | (esc["response_date"] > esc["response_due"])
    past_due = esc["response_due"] < pd.Timestamp(AS_OF)
    assert esc.loc[replied_late & past_due, "response"].notna().all()


@pytest.mark.parametrize(
    "as_of",
    [
        dt.date(2026, 11, 23),
        dt.date(2026, 12, 7),
        dt.date(2026, 12, 23),  # just before Christmas
        dt.date(2027, 5, 31),  # the spring bank holiday, a Monday
        dt.date(2028, 2, 29),
    ],
)
def test_some_children_always_await_an_initial_conference(as_of):
    """Whatever the date, the default demo (120 children, seed 1) has section 47 enquiries
    awaiting their initial conference: new enquiries arrive every week."""
    rows = demo.generate(children=120, seed=1, as_of=as_of)
    held = {
        (c["child_id"], c["held_date"])
        for c in rows["conferences"]
        if c["type"] in ("initial", "pre_birth", "transfer_in") and c.get("held_date")
    }
    awaiting = {
        s["child_id"]
        for s in rows["s47_enquiries"]
        if not s.get("icpc_not_required")
        and not any(child == s["child_id"] and day >= s["start_date"] for child, day in held)
    }
    assert len(awaiting) >= 3
