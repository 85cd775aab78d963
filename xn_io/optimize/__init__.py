"""Investment allocation: Leontief linear programmes solved by HiGHS."""
from ._solver import Status
from .static import LPResult, leontief_lp, leontief_lp_highspy
