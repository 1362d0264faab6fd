"""``cptrack escalations``: the escalation log, with the engine's verdict on each response."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from cptrack.caseload import load
from cptrack.casework import escalation_log
from cptrack.cli import add_db_argument
from cptrack.domain.models import today
from cptrack.interchange import safe_cells
from cptrack.rules import profiles
from cptrack.storage import settings
from cptrack.storage.staff import chair_by_name
from cptrack.storage.store import Store

TABLE_COLUMNS = (
    "id",
    "child_id",
    "raised_on",
    "stage",
    "raised_with",
    "response_due",
    "response_date",
    "status",
    "status_text",
)
EXPORT_COLUMNS = tuple(c for c in escalation_log.LOG_COLUMNS if c not in ("version", "child_name"))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "escalations",
        help="list the chairs' escalations, open ones with overdue responses first",
        description="The escalation log: each escalation's stage, who it went to, when a "
        "response was due and whether it came (judged by the profile's escalation_response "
        "rule). Child ids only: no names.",
    )
    add_db_argument(p)
    p.add_argument("--open", action="store_true", help="only escalations still open")
    p.add_argument(
        "--profile",
        default=None,
        metavar="NAME_OR_PATH",
        help="a registered profile or a .toml file (default: the database's profile setting)",
    )
    p.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date to judge at (default: today)",
    )
    p.add_argument("--chair", metavar="NAME_OR_ID", help="only this chair's children")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    as_of = args.as_of or today()
    with Store.open(args.db) as store:
        name = args.profile or settings.get("profile", store)
        try:
            profile = profiles.load(name)
        except profiles.ProfileError as exc:
            print(f"cptrack escalations: {exc}", file=sys.stderr)
            return 2
        chair_id = chair_by_name(store, args.chair) if args.chair else None
        caseload = load(store, chair_id=chair_id)
    rows = escalation_log.log(caseload, profile, as_of, open_only=args.open)
    # Overdue responses first, then the newest.
    rows = rows.assign(_late=(rows["finding_status"] == "overdue").astype(int))
    rows = rows.sort_values(["_late", "raised_on", "id"], ascending=False, kind="stable")
    rows = rows.drop(columns="_late")
    export = rows[list(EXPORT_COLUMNS)].copy()
    for col in ("raised_on", "response_due", "response_date"):
        export[col] = export[col].dt.strftime("%Y-%m-%d").where(export[col].notna(), None)
    export = export.astype(object).where(export.notna(), None)
    out = sys.stdout
    if args.format == "csv":
        safe_cells.frame_to_csv(export, out, index=False)
    elif args.format == "json":
        json.dump(export.to_dict(orient="records"), out, indent=1, default=str)
        out.write("\n")
    else:
        late = int((rows["finding_status"] == "overdue").sum())
        which = "open escalations" if args.open else "escalations"
        out.write(
            f"{profile.name}: {len(rows)} {which} as at {as_of:%d %b %Y}; {late} with the "
            "response overdue\n"
        )
        if len(rows):
            table = export[list(TABLE_COLUMNS)].rename(columns={"status_text": "timescale"})
            out.write(table.to_string(index=False, na_rep="") + "\n")
        for rule in profile.rules_for("escalation_response"):
            out.write(f"Timescale: {rule.text} [{rule.source_label}]\n")
    return 0
