"""Prototype of the engine's main family on polars and on DuckDB, against the engine itself.

    python benchmarks/proto_engine.py [--db data/bench50k.sqlite] [--profile sunderland]

The family: ``visit`` (the visiting timescale), the one with the most findings. Each seen
visit of a plan, and the plan's start, anchors the next; visits with no plan take the plan
the child had open that day; the interval is the stricter of the plan's own frequency and the
profile's; the due date is that many working days on (England and Wales bank holidays, the
same calendar as ``cptrack.rules.workdays``); an item whose plan ended before it fell due is
dropped; then the status, the working days late and the working days to the due date.

Each version starts from the same loaded caseload (pandas frames, as ``cptrack.caseload.load``
gives them) and its result is checked row for row against ``cptrack.engine.evaluate``'s
findings for the rule, before anything is timed. Printed: each version's time (best of
``--repeat``), and the numpy engine's for the same family (its shared tables built afresh
each run, as in an evaluation).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl

from cptrack import engine
from cptrack.caseload import Caseload, load
from cptrack.engine import FAMILIES, Context, as_day
from cptrack.engine.finishing import finalise
from cptrack.rules import profiles
from cptrack.rules import workdays as wd
from cptrack.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 22)
STATUS = ("met", "met_late", "overdue", "due")


def best(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        out = None
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


# ---------------------------------------------------------------------------
# The current engine, the one family


def numpy_visits(cl: Caseload, rule, profile) -> int:
    ctx = Context(cl, profile, as_day(AS_OF))
    return finalise([(rule, FAMILIES["visit"](ctx, rule))], ctx).n


# ---------------------------------------------------------------------------
# polars


def to_polars(cl: Caseload) -> dict[str, pl.DataFrame]:
    """The frames the family reads, as polars frames (typed columns, no Python objects)."""
    plans = cl.cp_plans[["id", "child_id", "start_date", "end_date", "visit_frequency_wd"]]
    visits = cl.visits[["id", "child_id", "plan_id", "date", "seen"]]
    return {
        "plans": pl.from_pandas(plans).with_columns(pl.col("start_date", "end_date").cast(pl.Date)),
        "visits": pl.from_pandas(visits).with_columns(pl.col("date").cast(pl.Date)),
    }


def add_working_days(day: pl.Expr, n: pl.Expr | int) -> pl.Expr:
    """``cptrack.rules.workdays.add_working_days`` for n >= 0: the start rolled back to a working
    day, then n working days on (polars' own business-day arithmetic, the same holidays)."""
    return day.dt.add_business_days(n, holidays=HOLIDAYS, roll="backward")


def working_days_between(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """Working days after ``a`` up to and including ``b`` (negative when ``b`` is first)."""
    one = pl.duration(days=1)
    lo, hi = pl.min_horizontal(a, b), pl.max_horizontal(a, b)
    count = pl.business_day_count(lo + one, hi + one, holidays=HOLIDAYS)
    return pl.when(b < a).then(-count).otherwise(count)


HOLIDAYS = [d.astype(dt.date) for d in wd.bank_holidays()]


def polars_visits(frames: dict[str, pl.DataFrame], rule, amber: int) -> pl.DataFrame:
    as_of = AS_OF
    plans = frames["plans"].rename({"id": "plan_id"})
    v = frames["visits"].filter(pl.col("seen").fill_null(True))
    # Visits with no plan: the child's plan open on the day (the latest started by then).
    missing = v.filter(pl.col("plan_id").is_null()).drop("plan_id").sort("date")
    starts = plans.select("child_id", "plan_id", "start_date", "end_date").sort("start_date")
    attached = missing.join_asof(  # sorted by date: check_sortedness off
        starts,
        left_on="date",
        right_on="start_date",
        by="child_id",
        strategy="backward",
        check_sortedness=False,
    ).with_columns(
        plan_id=pl.when(pl.col("end_date").is_null() | (pl.col("date") <= pl.col("end_date")))
        .then("plan_id")
        .otherwise(None)
    )
    v = pl.concat([v.filter(pl.col("plan_id").is_not_null()), attached.select(v.columns)]).filter(
        pl.col("plan_id").is_not_null()
    )
    live = plans.filter(pl.col("start_date") <= as_of)
    v = v.join(live.select("plan_id", "start_date", "end_date"), on="plan_id").filter(
        (pl.col("date") >= pl.col("start_date"))
        & (pl.col("end_date").is_null() | (pl.col("date") <= pl.col("end_date")))
        & (pl.col("date") <= as_of)
    )
    anchors = pl.concat(
        [
            v.select("plan_id", anchor_date="date", rec_id="id", is_start=pl.lit(0)),
            live.select(
                "plan_id",
                anchor_date="start_date",
                rec_id=pl.lit(None, pl.Int64),
                is_start=pl.lit(-1),
            ),
        ]
    ).sort("plan_id", "anchor_date", "is_start")
    rows = anchors.with_columns(
        actual_date=pl.col("anchor_date").shift(-1).over("plan_id"),
    ).join(live.select("plan_id", "child_id", "end_date", "visit_frequency_wd"), on="plan_id")
    own = pl.col("visit_frequency_wd").fill_null(0)
    rows = rows.with_columns(
        amount=pl.when((own > 0) & (own < rule.amount)).then(own).otherwise(rule.amount),
        closed=pl.when(pl.col("end_date") <= as_of).then("end_date"),
    ).with_columns(due_date=add_working_days(pl.col("anchor_date"), pl.col("amount")))
    rows = rows.filter(
        ~(
            pl.col("actual_date").is_null()
            & pl.col("closed").is_not_null()
            & (pl.col("closed") <= pl.col("due_date"))
        )
    )
    done = pl.col("actual_date").is_not_null()
    status = (
        pl.when(done & (pl.col("actual_date") > pl.col("due_date")))
        .then(pl.lit("met_late"))
        .when(done)
        .then(pl.lit("met"))
        .when(pl.lit(as_of) > pl.col("due_date"))
        .then(pl.lit("overdue"))
        .otherwise(pl.lit("due"))
    )
    rows = rows.with_columns(status=status)
    end_ref = (
        pl.when(pl.col("closed").is_null() | (pl.col("closed") > as_of))
        .then(pl.lit(as_of))
        .otherwise("closed")
    )
    compare = pl.when(done).then("actual_date").otherwise(end_ref)
    return rows.with_columns(
        working_days_late=pl.when(pl.col("status") != "due").then(
            working_days_between(pl.col("due_date"), compare)
        ),
        working_days_to_due=pl.when(pl.col("status") == "due").then(
            working_days_between(pl.lit(as_of), pl.col("due_date"))
        ),
    ).select(
        "child_id",
        "plan_id",
        "anchor_date",
        "due_date",
        "actual_date",
        "status",
        "working_days_late",
        "working_days_to_due",
    )


# ---------------------------------------------------------------------------
# DuckDB


def duckdb_calendar(con) -> None:
    """Working days as two tables: each day's count of working days up to it, and the
    working days by their number (the same table ``cptrack.rules.workdays`` looks up)."""
    days = np.arange(wd.TABLE_START, wd.TABLE_END, dtype="datetime64[D]")
    working = np.is_busday(days, busdaycal=wd.calendar())
    cal = pd.DataFrame({"day": days.astype("datetime64[s]"), "ord": np.cumsum(working)})
    work = pd.DataFrame(
        {"ord": np.arange(1, working.sum() + 1), "day": days[working].astype("datetime64[s]")}
    )
    con.register("cal_df", cal)
    con.register("work_df", work)
    con.execute("CREATE OR REPLACE TABLE cal AS SELECT day::DATE AS day, ord FROM cal_df")
    con.execute("CREATE OR REPLACE TABLE work AS SELECT ord, day::DATE AS day FROM work_df")


DUCKDB_VISITS = """
WITH plans AS (
    SELECT id AS plan_id, child_id, start_date::DATE AS start_date, end_date::DATE AS end_date,
           visit_frequency_wd
    FROM plans_df),
live AS (SELECT * FROM plans WHERE start_date <= $as_of),
seen AS (
    SELECT id, child_id, plan_id, date::DATE AS date FROM visits_df WHERE coalesce(seen, true)),
attached AS (
    SELECT s.id, s.child_id, p.plan_id, s.date
    FROM seen s ASOF JOIN plans p ON s.child_id = p.child_id AND s.date >= p.start_date
    WHERE s.plan_id IS NULL AND (p.end_date IS NULL OR s.date <= p.end_date)),
v AS (
    SELECT id, plan_id, date FROM seen WHERE plan_id IS NOT NULL
    UNION ALL SELECT id, plan_id, date FROM attached),
anchors AS (
    SELECT v.plan_id, v.date AS anchor_date, 0 AS is_start FROM v JOIN live USING (plan_id)
    WHERE v.date >= live.start_date AND (live.end_date IS NULL OR v.date <= live.end_date)
      AND v.date <= $as_of
    UNION ALL SELECT plan_id, start_date, -1 FROM live),
chained AS (
    SELECT a.plan_id, a.anchor_date,
           lead(a.anchor_date) OVER (PARTITION BY a.plan_id ORDER BY a.anchor_date, a.is_start)
               AS actual_date
    FROM anchors a),
rows AS (
    SELECT c.*, l.child_id,
           CASE WHEN l.end_date <= $as_of THEN l.end_date END AS closed,
           CASE WHEN coalesce(l.visit_frequency_wd, 0) > 0
                     AND l.visit_frequency_wd < $amount THEN l.visit_frequency_wd
                ELSE $amount END AS amount
    FROM chained c JOIN live l USING (plan_id)),
due AS (
    SELECT r.*, w.day AS due_date
    FROM rows r JOIN cal ON cal.day = r.anchor_date JOIN work w ON w.ord = cal.ord + r.amount),
kept AS (
    SELECT *,
        CASE WHEN actual_date IS NOT NULL AND actual_date > due_date THEN 'met_late'
             WHEN actual_date IS NOT NULL THEN 'met'
             WHEN $as_of > due_date THEN 'overdue' ELSE 'due' END AS status,
        CASE WHEN actual_date IS NOT NULL THEN actual_date
             WHEN closed IS NULL OR closed > $as_of THEN $as_of ELSE closed END AS compare_to
    FROM due
    WHERE NOT (actual_date IS NULL AND closed IS NOT NULL AND closed <= due_date))
SELECT k.child_id, k.plan_id, k.anchor_date, k.due_date, k.actual_date, k.status,
       CASE WHEN k.status <> 'due' THEN c2.ord - c1.ord END AS working_days_late,
       CASE WHEN k.status = 'due' THEN c1.ord - c0.ord END AS working_days_to_due
FROM kept k JOIN cal c1 ON c1.day = k.due_date JOIN cal c2 ON c2.day = k.compare_to
     JOIN cal c0 ON c0.day = $as_of
"""


def duckdb_visits(con, cl: Caseload, rule) -> pd.DataFrame:
    con.register(
        "plans_df", cl.cp_plans[["id", "child_id", "start_date", "end_date", "visit_frequency_wd"]]
    )
    con.register("visits_df", cl.visits[["id", "child_id", "plan_id", "date", "seen"]])
    return con.sql(DUCKDB_VISITS, params={"as_of": AS_OF, "amount": rule.amount}).to_arrow_table()


# ---------------------------------------------------------------------------


KEY = [
    "child_id",
    "plan_id",
    "anchor_date",
    "due_date",
    "actual_date",
    "status",
    "working_days_late",
    "working_days_to_due",
]


def canonical(frame) -> pd.DataFrame:
    """Rows in one order with plain types, to compare versions row for row."""
    if not isinstance(frame, pd.DataFrame):  # a polars frame or an Arrow table
        frame = frame.to_pandas()
    out = pd.DataFrame(
        {
            "child_id": frame["child_id"].astype(str),
            "plan_id": frame["plan_id"].astype("int64"),
            "anchor_date": pd.to_datetime(frame["anchor_date"]).astype("datetime64[s]"),
            "due_date": pd.to_datetime(frame["due_date"]).astype("datetime64[s]"),
            "actual_date": pd.to_datetime(frame["actual_date"]).astype("datetime64[s]"),
            "status": frame["status"].astype(str),
            "working_days_late": frame["working_days_late"].astype("Int64"),
            "working_days_to_due": frame["working_days_to_due"].astype("Int64"),
        }
    )
    return out.sort_values(KEY[:6]).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=str(ROOT / "data" / "bench50k.sqlite"))
    ap.add_argument("--profile", default="sunderland")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    profile = profiles.load(args.profile)
    rule = next(r for r in profile.applied_rules if r.event == "visit")
    amber = int(profile.settings["amber_window_wd"])
    with Store.open(args.db) as store:
        cl = load(store)
    print(f"caseload: {cl.size} children, {len(cl.visits)} visits, {len(cl.cp_plans)} plans")

    found = engine.evaluate(cl, profile, AS_OF)
    expected = canonical(found[found["rule_id"] == rule.id])
    frames = to_polars(cl)
    con = duckdb.connect()
    duckdb_calendar(con)
    for name, result in (
        ("polars", polars_visits(frames, rule, amber)),
        ("duckdb", duckdb_visits(con, cl, rule)),
    ):
        got = canonical(result)
        pd.testing.assert_frame_equal(expected, got)
        print(f"  {name}: the same {len(got)} rows as the engine")

    numpy_s, _ = best(lambda: numpy_visits(cl, rule, profile), args.repeat)
    convert_s, _ = best(lambda: to_polars(cl), args.repeat)
    polars_s, _ = best(lambda: polars_visits(frames, rule, amber), args.repeat)
    lazy_s, _ = best(lambda: polars_visits(to_polars(cl), rule, amber), args.repeat)
    duck_s, _ = best(lambda: duckdb_visits(con, cl, rule), args.repeat)
    print(f"  numpy engine (family and statuses)  {numpy_s:7.3f} s")
    print(
        f"  polars                              {polars_s:7.3f} s   "
        f"polars / numpy = {polars_s / numpy_s:5.2f}x"
    )
    print(
        f"  polars, frames converted each time  {lazy_s:7.3f} s   "
        f"(conversion alone {convert_s:.3f} s)"
    )
    print(
        f"  duckdb, over the pandas frames      {duck_s:7.3f} s   "
        f"duckdb / numpy = {duck_s / numpy_s:5.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
