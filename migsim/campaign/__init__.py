"""migsim.campaign: exploration campaigns across worker processes or a Dask cluster,
recorded unit by unit in a SQLite database that a killed campaign resumes from; see
docs/campaigns.md.

- :func:`run_campaign` (``migsim campaign``): plan, run, record, resume;
- :func:`run_units` / :func:`run_parallel`: run work units (or any picklable function
  over items) on N local workers or a Dask scheduler, results in order;
- :func:`plan_units`: a scenario's units (seed ranges, or subtrees of a systematic search);
- :func:`explore_parallel` (``migsim explore --workers N``) and :func:`portable_result`
  (a pipeline result that can cross a process boundary, for ``check --workers N``).
"""

from __future__ import annotations

from migsim.campaign._campaign import DEFAULT_DB, CampaignSpec, run_campaign
from migsim.campaign._cli import add_commands, add_parallel_flags, cmd_campaign, cmd_report
from migsim.campaign._explore import explore_parallel, portable_result
from migsim.campaign._plan import Unit, plan_units, unit_seed
from migsim.campaign._progress import CampaignProgress, Snapshot, progress_line
from migsim.campaign._report import write_plots
from migsim.campaign._runner import default_workers, run_parallel, run_units
from migsim.campaign._work import UnitFailure, UnitResult, run_unit

__all__ = [
    "DEFAULT_DB",
    "CampaignProgress",
    "CampaignSpec",
    "Snapshot",
    "Unit",
    "UnitFailure",
    "UnitResult",
    "add_commands",
    "add_parallel_flags",
    "cmd_campaign",
    "cmd_report",
    "default_workers",
    "explore_parallel",
    "plan_units",
    "portable_result",
    "progress_line",
    "run_campaign",
    "run_parallel",
    "run_unit",
    "run_units",
    "unit_seed",
    "write_plots",
]
