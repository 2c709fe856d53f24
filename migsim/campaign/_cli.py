"""``migsim campaign`` and ``migsim report``: their parsers and commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from migsim.campaign._campaign import DEFAULT_DB, CampaignSpec, run_campaign
from migsim.campaign._progress import CampaignProgress
from migsim.cli._main import _add_trust_flag, _int_at_least


def add_parallel_flags(p: argparse.ArgumentParser, *, default_workers: int) -> None:
    """``--workers N`` and ``--dask-scheduler ADDRESS``, as every parallel command has them."""
    p.add_argument(
        "--workers",
        type=_int_at_least(0),
        default=default_workers,
        help="local worker processes (0: every core; default %(default)s)",
    )
    p.add_argument(
        "--dask-scheduler",
        metavar="tcp://HOST:PORT",
        help="run the work units on this Dask cluster instead of local processes",
    )


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``campaign`` and ``report`` subcommands to ``migsim``'s subparsers."""
    p = sub.add_parser("campaign", help="explore scenarios across workers, into a database")
    p.add_argument("targets", metavar="DIR|FILE", nargs="+")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a scenario key")
    p.add_argument(
        "--seed",
        type=_int_at_least(0),
        help="campaign seed every unit's seed derives from (default: each explore.seed)",
    )
    add_parallel_flags(p, default_workers=0)
    p.add_argument("--db", default=str(DEFAULT_DB), metavar="FILE", help="results database")
    p.add_argument(
        "--unit-size",
        type=_int_at_least(1),
        default=200,
        help="schedules per random/PCT work unit (default %(default)s)",
    )
    p.add_argument(
        "--split-depth",
        type=_int_at_least(0),
        default=3,
        help="depth of the choice tree at which a systematic search is cut into subtrees",
    )
    p.add_argument(
        "--no-reduce",
        action="store_true",
        help="do not reduce the scenario of each invariant's first failure at the end",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object at the end")
    p.add_argument("--no-progress", action="store_true", help="no live progress line")
    _add_trust_flag(p)
    p.set_defaults(func=cmd_campaign)
    p = sub.add_parser("report", help="summarise a campaign database (text, plots)")
    p.add_argument("db", metavar="DB")
    p.add_argument("--plots", metavar="DIR", help="write first-failure and coverage plots here")
    p.add_argument("--plot-format", choices=("png", "svg"), default="png")
    p.add_argument("--scenarios", metavar="DIR", help="write the reduced scenarios here")
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
        args.seed,
        getattr(args, "allow_policy_imports", False),
        not args.no_reduce,
    )
    show = CampaignProgress.wanted(as_json=args.json, no_progress=args.no_progress)
    with CampaignProgress(enabled=show) as progress:
        summary = run_campaign(spec, progress=progress)
    if args.json:
        print(json.dumps(summary, sort_keys=True))
    else:
        _print_summary(summary, spec.db)
    if summary["interrupted"]:
        return 128 + int(str(summary["signal"] or 2))
    return 1 if summary["violations"] else 0


def _print_summary(summary: dict[str, object], db: Path) -> None:
    state = "interrupted (rerun the same command to resume)" if summary["interrupted"] else "done"
    print(f"campaign {summary['campaign']}: {state}")
    print(
        f"  schedules  {summary['schedules_done']:,} of {summary['schedules_planned']:,} "
        f"planned; units {summary['units_done']}/{summary['units_planned']}"
    )
    print(
        f"  workers    {summary['workers']}, {summary['elapsed_s']} s, resumed {summary['resumed']}"
    )
    failing = summary["failing_schedules"]
    print(f"  coverage   {summary['coverage']} items; {failing} failing schedules")
    for v in summary["violations"]:  # type: ignore[attr-defined]
        print(f"  violation  {v['scenario']} {v['invariant']}: {v['shrunk_token'] or v['token']}")
    print(f"  details    migsim report {db}")


def cmd_report(args: argparse.Namespace) -> int:
    """Print each campaign's summary table and grouped failures; write plots if asked."""
    from migsim.campaign import _db
    from migsim.campaign._report import render, write_plots, write_reduced

    db = _db.connect(Path(args.db), create=False)
    try:
        for line in render(db):
            print(line)
        if args.plots:
            for path in write_plots(db, Path(args.plots), args.plot_format):
                print(f"plot: {path}")
        if args.scenarios:
            for path in write_reduced(db, Path(args.scenarios)):
                print(f"reduced scenario: {path}")
    finally:
        db.close()
    sys.stdout.flush()
    return 0
