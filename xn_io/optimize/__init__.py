"""Investment allocation: Leontief linear programmes built in Pyomo and solved by HiGHS.

Building blocks for researchers:

* :func:`leontief_lp` / :func:`leontief_lp_highspy` — the static Leontief LP
  (through Pyomo, or straight into highspy), with duals;
* :class:`DynamicLeontief`, :func:`add_dynamic_leontief`, :func:`dynamic_leontief_lp`
  — the dynamic model with capacity, construction lags, stocks, satellite
  limits, rival technologies and terminal conditions.

The Xianning plan model, for planners:

* :class:`Scenario` (every assumption, TOML in and out) → :func:`build_model`
  (a Pyomo ``ConcreteModel`` to inspect) → :func:`solve` → :class:`Plan`;
* :func:`diagnose` — the smallest relaxation that makes an infeasible scenario feasible;
* :func:`frontier` — the GDP-versus-carbon (and energy) trade-off from one model.
* :func:`sweep` (over a list or :func:`scenario_grid`) and :func:`monte_carlo` — many solves,
  serially, on local processes or on a Dask cluster;
* :func:`sensitivity` — one assumption at a time over a stated range (:data:`ASSUMPTIONS`),
  the 2030 results ranked by swing (a tornado);
* import substitution (补链) as a decision: :func:`substitution_pairs` (by default the chain gaps
  that are :func:`manufacturing_sectors`' goods), :func:`substitution_effects`
  and the sector-level local supporting rate :func:`sector_local_supporting_rate`; further plan
  targets as families (:mod:`xn_io.optimize.targets`) and :func:`target_clashes`, the targets
  that cannot hold alone or in pairs.
"""

from ..perturb import Perturbation, perturb_table
from ._solver import Status
from .chain_effects import substitution_effects
from .clashes import target_clashes
from .diagnose import Diagnosis, diagnose
from .dynamic import DynamicLeontief, DynamicResult, Resource, add_dynamic_leontief, dynamic_leontief_lp
from .frontier import frontier
from .model import PlanData, build_model, plan_data
from .plan import Plan
from .scenario import DEFAULT_SHORTFALL_WEIGHTS, FAMILIES, OBJECTIVES, Scenario, builtin_scenarios
from .sensitivity import ASSUMPTIONS, Assumption, ranking, scale_regional_purchases, sensitivity
from .solve import solve, solve_model
from .static import LPResult, leontief_lp, leontief_lp_highspy
from .substitution import manufacturing_sectors, sector_local_supporting_rate, substitution_pairs
from .sweep import plan_record, scenario_grid, sweep
from .uncertainty import MonteCarloResult, monte_carlo

__all__ = [
    "Status",
    "LPResult",
    "leontief_lp",
    "leontief_lp_highspy",
    "Resource",
    "DynamicLeontief",
    "DynamicResult",
    "add_dynamic_leontief",
    "dynamic_leontief_lp",
    "Scenario",
    "OBJECTIVES",
    "FAMILIES",
    "DEFAULT_SHORTFALL_WEIGHTS",
    "builtin_scenarios",
    "PlanData",
    "plan_data",
    "build_model",
    "solve",
    "solve_model",
    "Plan",
    "Diagnosis",
    "diagnose",
    "frontier",
    "sweep",
    "scenario_grid",
    "plan_record",
    "monte_carlo",
    "Perturbation",
    "perturb_table",
    "MonteCarloResult",
    "sensitivity",
    "Assumption",
    "ASSUMPTIONS",
    "ranking",
    "scale_regional_purchases",
    "substitution_pairs",
    "manufacturing_sectors",
    "substitution_effects",
    "sector_local_supporting_rate",
    "target_clashes",
]
