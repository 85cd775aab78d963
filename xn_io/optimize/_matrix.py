"""Constraint rows held as one sparse matrix inside a Pyomo model (internal).

A dense Leontief block ``(I − A) x ≥ d`` has n² coefficients. Written as
ordinary Pyomo constraints, every coefficient becomes a Python expression
object (``MonomialTermExpression``) that is built, kept in memory and walked
again when the model is compiled for the solver — at n = 800 that is most of
the time and memory of the solve. :class:`MatrixRows` keeps the rows as the
CSR arrays they came from (Pyomo's ``MatrixConstraint``): each row is still a
constraint of the model, with ``body``, ``lower``, ``upper``, ``expr`` and
``pprint`` (the expression is generated when asked for), and
:func:`xn_io.optimize._solver.run_direct` hands the arrays to HiGHS as they
are, without building an expression at all.

Rows are read-only (no ``set_value``); add further constraints beside them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyomo.environ as pe
import scipy.sparse as sp
from pyomo.repn.beta.matrix import MatrixConstraint, _LinearMatrixConstraintData

__all__ = ["MatrixRows"]


class _RowData(_LinearMatrixConstraintData):
    """One row of a :class:`MatrixRows`; its expression is generated on request."""

    __slots__ = ()

    @property
    def expr(self):
        """The row as a Pyomo relational expression (built on each access)."""
        lower, body, upper = self.lower, self.body, self.upper
        if self.equality:
            return body == upper
        if lower is None:
            return body <= upper
        if upper is None:
            return lower <= body
        return pe.inequality(lower, body, upper)


class MatrixRows(MatrixConstraint):
    """Rows ``lower ≤ M v ≤ upper`` over the variables ``v``, stored as CSR arrays.

    Parameters
    ----------
    matrix : scipy.sparse array, shape (rows, len(variables))
    variables : sequence of Pyomo variable data
        The column of each matrix column.
    lower, upper : array_like, shape (rows,)
        Row bounds; ``-inf`` / ``+inf`` for none. Equal bounds make an equality.
    """

    _constructed: bool  # set by Pyomo's Component.__init__, which mypy cannot follow

    def __init__(self, matrix, variables: Sequence, lower, upper):
        M = sp.csr_array(matrix)
        M.sum_duplicates()
        rows = M.shape[0]
        lower = np.broadcast_to(np.asarray(lower, dtype=float), (rows,))
        upper = np.broadcast_to(np.asarray(upper, dtype=float), (rows,))
        has_lo, has_up = np.isfinite(lower), np.isfinite(upper)
        kinds = np.where(has_lo, MatrixConstraint.LowerBound, 0) | np.where(has_up, MatrixConstraint.UpperBound, 0)
        kinds = np.where(has_lo & has_up & (lower == upper), MatrixConstraint.Equality, kinds)
        ranges: list = np.column_stack([lower, upper]).ravel().tolist()
        ranges = [None if not np.isfinite(r) else r for r in ranges]
        super().__init__(
            rows, len(variables), M.nnz, M.indptr, M.indices, M.data, ranges, kinds.tolist(), list(variables)
        )
        self._matrix = M
        self._bounds = (lower.copy(), upper.copy())

    def construct(self, data=None):
        """Create one :class:`_RowData` per row."""
        if self._constructed:
            return
        self._constructed = True
        self._data = tuple(_RowData(i, component=self) for i in range(len(self._range_types)))

    def is_reference(self) -> bool:
        """Not a reference to other components (Pyomo's printing asks)."""
        return False

    @property
    def matrix(self) -> sp.csr_array:
        """The coefficients as a CSR array (rows × variables); do not modify."""
        return self._matrix

    @property
    def variables(self) -> list:
        """The variable of each matrix column."""
        return self._varmap

    @property
    def row_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) of every row, ``±inf`` where unbounded."""
        return self._bounds
