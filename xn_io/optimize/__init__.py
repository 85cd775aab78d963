"""Investment allocation: Leontief linear programmes solved by HiGHS."""
from ._solver import Status
from .dynamic import DynamicLeontief, DynamicResult, Resource, add_dynamic_leontief, dynamic_leontief_lp
from .static import LPResult, leontief_lp, leontief_lp_highspy
