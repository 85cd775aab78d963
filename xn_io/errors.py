"""The exceptions of xn_io, one hierarchy.

Every error a user can cause derives from :class:`XnIOError`, so
``except xn_io.errors.XnIOError`` catches all of them. Messages name the
argument, sector, field or row at fault and the size of the problem.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "XnIOError",
    "TableError",
    "UnitError",
    "NotProductiveError",
    "ConvergenceError",
    "BalancingError",
    "ScenarioError",
    "ArgumentError",
    "ArgumentTypeError",
    "SolverError",
    "InfeasibleError",
    "NetworkDataError",
    "OverwriteError",
    "OutputError",
    "SearchLimitError",
    "IllConditionedWarning",
]


class XnIOError(Exception):
    """Base class of every error raised by xn_io for a user's input or data."""


class TableError(XnIOError, ValueError):
    """An input-output table or array is malformed.

    Raised for mismatched shapes or labels, NaN or infinite entries, negative or
    zero gross output where a division needs it, and accounting identities
    (row or column balance) broken beyond tolerance. The message names the
    block, the sector and the size of the problem.
    """


class UnitError(TableError):
    """Quantities in different units were combined, or a unit is unknown."""


class NotProductiveError(TableError):
    """``I - A`` is singular or the economy is not productive.

    A Leontief system whose spectral radius is ≥ 1 has no non-negative
    solution for every non-negative final demand (Miller & Blair 2022, §2.6);
    xn_io raises instead of returning a pseudo-inverse.
    """


class ConvergenceError(XnIOError, RuntimeError):
    """An iterative method stopped before meeting its tolerance.

    Attributes
    ----------
    iterations : int
        Iterations performed.
    residual : float
        The residual (or largest margin gap) reached.
    tolerance : float
        The tolerance that was asked for.
    """

    def __init__(self, message: str, *, iterations: int, residual: float, tolerance: float):
        super().__init__(message)
        self.iterations = iterations
        self.residual = residual
        self.tolerance = tolerance


class BalancingError(TableError):
    """Target margins given to RAS/GRAS cannot be met (inconsistent totals, empty rows)."""


class ScenarioError(XnIOError, ValueError):
    """A scenario field is invalid; the message names the field."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class ArgumentError(XnIOError, ValueError):
    """A function argument (not a table block or scenario field) has an invalid value.

    Raised for options such as ``sense``, ``seed``, ``n``, ``handoff`` or ``retries``;
    the message names the argument and what was expected.

    Attributes
    ----------
    argument : str or None
        The argument at fault.
    """

    def __init__(self, message: str, *, argument: str | None = None):
        super().__init__(message)
        self.argument = argument


class ArgumentTypeError(ArgumentError, TypeError):
    """A function argument has the wrong type (e.g. a dict where a ``Scenario`` is needed)."""


class SolverError(XnIOError, RuntimeError):
    """The LP solver failed for a reason other than infeasibility (unbounded, error, time limit)."""


class InfeasibleError(XnIOError, RuntimeError):
    """The scenario's targets and caps cannot all hold.

    Attributes
    ----------
    diagnosis : Any
        The smallest relaxation that restores feasibility, as found by an
        elastic re-solve (an :class:`xn_io.optimize.Diagnosis`), or ``None``
        when no diagnosis was run.
    """

    def __init__(self, message: str, *, diagnosis: Any = None):
        super().__init__(message)
        self.diagnosis = diagnosis


class NetworkDataError(XnIOError, ValueError):
    """Firm or link data are invalid; the message names the row and field."""


class OverwriteError(XnIOError, FileExistsError):
    """A writer was asked to write over an existing file or folder without ``overwrite=True``."""


class OutputError(XnIOError, OSError):
    """An output file or folder could not be written (disk full, no permission, missing folder).

    Constructed like :class:`OSError` (``errno, strerror, filename``); the
    filename is always the user's output path, never a temporary name, and
    the message reads ``<path>: <reason>``.
    """

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}" if self.filename is not None else super().__str__()


class SearchLimitError(XnIOError, RuntimeError):
    """A search (e.g. structural path analysis) would exceed its size limit.

    Attributes
    ----------
    nodes : int
        Nodes visited when the search stopped.
    """

    def __init__(self, message: str, *, nodes: int):
        super().__init__(message)
        self.nodes = nodes


class IllConditionedWarning(UserWarning):
    """``I − A`` is so ill-conditioned that results may be wrong in their leading digits.

    Issued when the estimated condition number exceeds
    :data:`xn_io.leontief.MAX_CONDITION` (a nearly non-productive economy,
    spectral radius within about 1e-12 of 1).
    """
