"""``migsim campaign`` and ``migsim report``: their parsers and commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from migsim.campaign._campaign import CampaignSpec, run_campaign


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``campaign`` and ``report`` subcommands to ``migsim``'s subparsers."""
    p = sub.add_parser("campaign", help="explore scenarios across workers, into a database")
    p.add_argument("targets", metavar="DIR|FILE", nargs="+")
    p.add_argument("--set", action="append", metavar="KEY=VALUE")
    p.add_argument("--workers", type=int, default=0, help="worker processes (default: all cores)")
    p.add_argument("--dask-scheduler", metavar="tcp://HOST:PORT")
    p.add_argument("--db", default="migsim-out/campaign.db", metavar="FILE")
    p.add_argument("--unit-size", type=int, default=200, help="schedules per work unit")
    p.add_argument("--split-depth", type=int, default=3, help="depth of the DFS subtrees")
    p.add_argument("--json", action="store_true")
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(func=cmd_campaign)
    p = sub.add_parser("report", help="summarise a campaign database")
    p.add_argument("db", metavar="DB")
    p.set_defaults(func=cmd_report)


def cmd_campaign(args: argparse.Namespace) -> int:
    """Run or resume a campaign; exit 1 if a failure was found, 130/143 if interrupted."""
    spec = CampaignSpec(
        tuple(args.targets),
        tuple(args.set or ()),
        args.unit_size,
        args.split_depth,
        Path(args.db),
        args.workers,
        args.dask_scheduler,
    )
    summary = run_campaign(spec)
    if args.json:
        print(json.dumps(summary, sort_keys=True))
    else:
        for k, v in summary.items():
            print(f"{k:18} {v}")
    if summary["interrupted"]:
        return 130
    return 1 if summary["violations"] else 0


def cmd_report(args: argparse.Namespace) -> int:
    """Print each campaign's totals and its failures grouped by scenario and invariant."""
    from migsim.campaign import _db

    db = _db.connect(Path(args.db))
    for (key,) in db.execute("SELECT key FROM campaigns ORDER BY key").fetchall():
        t = _db.totals(db, key)
        print(f"campaign {key}: {t['schedules_done']} schedules, coverage {t['coverage']}")
        for v in t["violations"]:  # type: ignore[attr-defined]
            print(f"  {v['scenario']} {v['invariant']}: migsim replay {v['token']}")
    db.close()
    sys.stdout.flush()
    return 0
