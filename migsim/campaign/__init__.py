"""migsim.campaign: exploration campaigns across worker processes or a Dask cluster,
recorded unit by unit in a SQLite database that a killed campaign resumes from; see
docs/campaigns.md."""

from __future__ import annotations

from migsim.campaign._campaign import CampaignSpec, run_campaign
from migsim.campaign._cli import add_commands, cmd_campaign, cmd_report
from migsim.campaign._plan import Unit, plan_units, unit_seed
from migsim.campaign._work import UnitResult, run_unit

__all__ = [
    "CampaignSpec",
    "Unit",
    "UnitResult",
    "add_commands",
    "cmd_campaign",
    "cmd_report",
    "plan_units",
    "run_campaign",
    "run_unit",
    "unit_seed",
]
