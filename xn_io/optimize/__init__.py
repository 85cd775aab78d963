"""Investment allocation: Leontief linear programmes solved by HiGHS."""
from ._solver import Status
from .dynamic import DynamicLeontief, DynamicResult, Resource, add_dynamic_leontief, dynamic_leontief_lp
from .model import PlanData, build_model, plan_data
from .plan import Plan
from .scenario import Scenario
from .solve import solve
from .static import LPResult, leontief_lp, leontief_lp_highspy
from .diagnose import Diagnosis, diagnose
from .frontier import frontier
