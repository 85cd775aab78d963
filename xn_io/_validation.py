"""Validation helpers, written once and called first by every public function.

Messages name the argument, the position (or sector label, when the caller
passes labels) and the size of the problem.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from .errors import TableError

__all__ = [
    "utf8_error",
    "as_real_array",
    "as_matrix",
    "as_square_matrix",
    "as_vector",
    "as_rhs",
    "check_finite",
    "check_positive",
    "label_of",
]

ArrayLike = "np.ndarray | sp.spmatrix | sp.sparray"


def label_of(index: int, labels: Sequence[str] | None) -> str:
    """Return ``"sector 'steel'"`` when labels are known, else ``"index 3"``."""
    if labels is not None and 0 <= index < len(labels):
        return f"sector {labels[index]!r}"
    return f"index {index}"


def check_finite(name: str, values, labels: Sequence[str] | None = None) -> None:
    """Raise :class:`TableError` naming the first NaN or infinite entry of ``values``."""
    data = values.data if sp.issparse(values) else np.asarray(values)
    bad = ~np.isfinite(data)
    if not bad.any():
        return
    if sp.issparse(values):
        coo = sp.coo_array(values)
        pos = int(np.flatnonzero(~np.isfinite(coo.data))[0])
        row, col = int(coo.row[pos]), int(coo.col[pos])
        raise TableError(
            f"{name} has {int(bad.sum())} NaN or infinite entries; the first is at row "
            f"{label_of(row, labels)}, column {label_of(col, labels)}"
        )
    where = np.argwhere(bad)[0]
    if data.ndim == 1:
        raise TableError(
            f"{name} has {int(bad.sum())} NaN or infinite entries; the first is at {label_of(int(where[0]), labels)}"
        )
    raise TableError(
        f"{name} has {int(bad.sum())} NaN or infinite entries; the first is at row "
        f"{label_of(int(where[0]), labels)}, column {label_of(int(where[1]), labels)}"
    )


def utf8_error(path) -> str:
    r"""Where the file ``path`` stops being UTF-8: ``"line 3: not UTF-8 text (byte 0xcf)"``, or ``""``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "f.csv"
    >>> _ = p.write_bytes(b"a,b\n1,\xcf\n")
    >>> utf8_error(p)
    'line 2: not UTF-8 text (byte 0xcf); save the file as UTF-8'
    """
    from pathlib import Path

    data = Path(path).read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return f"line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
    return ""


def as_real_array(name: str, values) -> np.ndarray:
    """``values`` as a float ndarray; raise :class:`TableError` for complex, text, boolean or ragged input.

    Examples
    --------
    >>> as_real_array("Z", [[1, 2], [3, 4]]).dtype
    dtype('float64')
    >>> as_real_array("Z", [[1j, 0], [0, 1]])
    Traceback (most recent call last):
    ...
    xn_io.errors.TableError: Z must hold real numbers, got complex numbers
    """
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError) as exc:
        raise TableError(f"{name} must be a rectangular array of numbers: {' '.join(str(exc).split())}") from None
    kind = arr.dtype.kind
    if kind == "c":
        raise TableError(f"{name} must hold real numbers, got complex numbers")
    if kind in "USb":
        raise TableError(f"{name} must hold numbers, got {'booleans' if kind == 'b' else 'text'}")
    if kind == "O":
        for item in arr.ravel():
            if isinstance(item, (str, bytes, bool, complex, np.bool_)) or not isinstance(item, (int, float, np.number)):
                raise TableError(f"{name} must hold real numbers, got {item!r}")
    try:
        return arr.astype(float)
    except (TypeError, ValueError) as exc:
        raise TableError(f"{name} must hold real numbers: {exc}") from None


def as_matrix(name: str, M, *, allow_sparse: bool = True, labels: Sequence[str] | None = None):
    """Return ``M`` as a 2-D float ndarray or CSC/CSR sparse array, checked finite."""
    if sp.issparse(M):
        if not allow_sparse:
            raise TableError(f"{name} must be a dense array here, got a sparse matrix")
        M = sp.csc_array(M, dtype=float)
    else:
        M = as_real_array(name, M)
        if M.ndim != 2:
            raise TableError(f"{name} must be 2-dimensional, got shape {M.shape}")
    check_finite(name, M, labels)
    return M


def as_square_matrix(name: str, M, *, allow_sparse: bool = True, labels: Sequence[str] | None = None):
    """Like :func:`as_matrix`, and raise unless ``M`` is square (n × n, n ≥ 1)."""
    M = as_matrix(name, M, allow_sparse=allow_sparse, labels=labels)
    if M.shape[0] != M.shape[1] or M.shape[0] == 0:
        raise TableError(f"{name} must be square and non-empty, got shape {M.shape}")
    return M


def as_vector(name: str, v, n: int | None = None, *, labels: Sequence[str] | None = None) -> np.ndarray:
    """Return ``v`` as a 1-D float array of length ``n`` (when given), checked finite."""
    v = as_real_array(name, v)
    if v.ndim == 2 and 1 in v.shape:
        v = v.ravel()
    if v.ndim != 1:
        raise TableError(f"{name} must be a vector, got shape {v.shape}")
    if n is not None and v.shape[0] != n:
        raise TableError(f"{name} has {v.shape[0]} entries but the table has {n} sectors")
    check_finite(name, v, labels)
    return v


def as_rhs(name: str, y, n: int, *, labels: Sequence[str] | None = None) -> np.ndarray:
    """Return a right-hand side of ``n`` rows: a vector (n,) or a matrix (n, k)."""
    try:
        y = np.asarray(y.toarray() if sp.issparse(y) else y, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TableError(f"{name} must be numeric: {exc}") from None
    if y.ndim not in (1, 2) or y.shape[0] != n:
        raise TableError(f"{name} must have {n} rows (one per sector), got shape {y.shape}")
    check_finite(name, y, labels)
    return y


def check_positive(name: str, v: np.ndarray, labels: Sequence[str] | None = None, *, strict: bool = True) -> None:
    """Raise :class:`TableError` naming the first entry of ``v`` that is ≤ 0 (or < 0)."""
    bad = v <= 0 if strict else v < 0
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        what = "zero or negative" if strict else "negative"
        raise TableError(f"{name} is {what} at {label_of(i, labels)} ({v[i]:g}); {int(bad.sum())} entries in all")
