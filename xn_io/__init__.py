"""xn_io: regional input-output economics and investment optimisation.

The public surface is re-exported here; everything else is internal.
See the README for a tour and ``docs/`` for the user guide.
"""

import sys as _sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (type checkers read it as True)

__version__ = "0.1.0"

# Everything below loads on first use (PEP 562): ``import xn_io`` itself imports nothing heavy, so the
# ``xn-io`` command takes Ctrl-C from its first moment (xn_io._console), and the optimisation layer
# (Pyomo, about a second) loads only when it is used. ``from xn_io import IOTable`` and ``xn_io.IOTable``
# work as with eager imports.
_SUBMODULES = ("errors", "extraction", "leontief", "linkages", "network", "regional", "spa", "structural")
_LAZY = {
    "optimize": None,
    **dict.fromkeys(_SUBMODULES),
    **dict.fromkeys(("DEFAULT_TABLE", "list_tables", "load_table"), "datasets"),
    **dict.fromkeys(("InfeasibleError", "NotProductiveError", "ScenarioError", "TableError", "XnIOError"), "errors"),
    **dict.fromkeys(("read_excel", "write_excel", "write_workbook"), "excel"),
    **dict.fromkeys(("from_pymrio", "read_csv_folder", "to_pymrio", "write_csv_folder"), "io"),
    **dict.fromkeys(("nbs_trade_totals", "read_nbs_workbook"), "nbs"),
    **dict.fromkeys(("firm_graph", "load_firms", "local_supporting_rate", "sector_graph"), "network"),
    **dict.fromkeys(("Perturbation", "perturb_table"), "perturb"),
    "regionalize": "regionalize",
    **dict.fromkeys(
        (
            "coefficient_influence",
            "extract_sectors",
            "extraction_effects",
            "important_coefficients",
            "key_sectors",
            "linkage_table",
            "structural_paths",
        ),
        "structural",
    ),
    **dict.fromkeys(("IOTable", "Satellite"), "table"),
    **dict.fromkeys(
        (
            "Scenario",
            "solve",
            "Plan",
            "diagnose",
            "frontier",
            "leontief_lp",
            "dynamic_leontief_lp",
            "sweep",
            "scenario_grid",
            "monte_carlo",
            "sensitivity",
        ),
        "optimize",
    ),
}

if TYPE_CHECKING:  # what the names are, for type checkers and editors
    from . import errors, extraction, leontief, linkages, network, regional, spa, structural
    from .datasets import DEFAULT_TABLE, list_tables, load_table
    from .errors import (
        InfeasibleError,
        NotProductiveError,
        ScenarioError,
        TableError,
        XnIOError,
    )
    from .excel import read_excel, write_excel, write_workbook
    from .io import from_pymrio, read_csv_folder, to_pymrio, write_csv_folder
    from .nbs import nbs_trade_totals, read_nbs_workbook
    from .network import firm_graph, load_firms, local_supporting_rate, sector_graph
    from .perturb import Perturbation, perturb_table
    from .regionalize import regionalize
    from .structural import (
        coefficient_influence,
        extract_sectors,
        extraction_effects,
        important_coefficients,
        key_sectors,
        linkage_table,
        structural_paths,
    )
    from .table import IOTable, Satellite


# Array functions live in their modules (xn_io.leontief, xn_io.regional); the top level holds the
# table layer. The old top-level names still resolve, with a DeprecationWarning, until 0.3.
_MOVED = {
    **dict.fromkeys(
        (
            "factorize",
            "technical_coefficients",
            "leontief_inverse",
            "solve_output",
            "ghosh_inverse",
            "output_multipliers",
            "satellite_multipliers",
        ),
        "leontief",
    ),
    **dict.fromkeys(
        ("slq", "cilq", "flq", "aflq", "regional_coefficients", "ras", "gras", "BalancingResult"), "regional"
    ),
}


def __getattr__(name: str):
    if name in _MOVED:
        import importlib
        import warnings

        warnings.warn(
            f"xn_io.{name} is deprecated: the array function lives in xn_io.{_MOVED[name]}.{name}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(f".{_MOVED[name]}", __name__), name)
    import importlib.util

    if name not in _LAZY:
        # any other submodule (xn_io.table, xn_io.datasets …) as eager imports made them attributes
        if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
            return importlib.import_module(f".{name}", __name__)
        raise AttributeError(f"module 'xn_io' has no attribute {name!r}")
    module = importlib.import_module(f".{_LAZY[name] or name}", __name__)
    value = module if _LAZY[name] is None else getattr(module, name)
    globals()[name] = value  # found once; later look-ups do not come here
    return value


if TYPE_CHECKING:
    from types import ModuleType as _ModuleType
else:  # the module type without importing ``types`` (not loaded at start-up): the launcher's import stays short
    _ModuleType = type(_sys)


class _Package(_ModuleType):
    """The package's module type: a submodule named like the function it exports stays the function.

    After importing a submodule, Python binds it on its package (``xn_io.regionalize = <module>``); the
    eager imports used to rebind the function over it. This keeps that: ``xn_io.regionalize`` is the
    function, whichever was imported first.
    """

    def __setattr__(self, name: str, value) -> None:
        if name in _SAME_NAME and isinstance(value, _ModuleType):
            value = getattr(value, name)
        super().__setattr__(name, value)


_SAME_NAME = frozenset(name for name, module in _LAZY.items() if module == name)
_sys.modules[__name__].__class__ = _Package


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "__version__",
    "optimize",
    "Scenario",
    "solve",
    "Plan",
    "diagnose",
    "frontier",
    "leontief_lp",
    "dynamic_leontief_lp",
    "sweep",
    "scenario_grid",
    "monte_carlo",
    "sensitivity",
    "errors",
    "leontief",
    "IOTable",
    "Satellite",
    "load_table",
    "list_tables",
    "DEFAULT_TABLE",
    "read_csv_folder",
    "read_nbs_workbook",
    "nbs_trade_totals",
    "read_excel",
    "write_excel",
    "write_workbook",
    "write_csv_folder",
    "to_pymrio",
    "from_pymrio",
    "XnIOError",
    "TableError",
    "NotProductiveError",
    "ScenarioError",
    "InfeasibleError",
    "regional",
    "regionalize",
    "Perturbation",
    "perturb_table",
    "network",
    "sector_graph",
    "firm_graph",
    "load_firms",
    "local_supporting_rate",
    "linkages",
    "extraction",
    "spa",
    "structural",
    "linkage_table",
    "key_sectors",
    "extract_sectors",
    "extraction_effects",
    "structural_paths",
    "important_coefficients",
    "coefficient_influence",
]
