"""Reading and writing tables: CSV folders (the embedded format) and pymrio interop.

A CSV folder holds one file per block plus ``metadata.toml``:

===============================  =====================================================
``Z.csv``                        intermediate flows, sector × sector
``Y.csv``                        final demand, sector × category
``V.csv``                        value added, component × sector
``M.csv``                        imports and other primary inputs (if any)
``x.csv``                        gross output
``satellites.csv``               satellite accounts, sector × account
``satellites_final_demand.csv``  direct amounts of final-demand categories (if any)
``pillars.csv``                  sector, pillar, share (if any)
``sectors.csv``                  sector names and parameters
``metadata.toml``                name, year, unit, satellite units and status,
                                 technologies, sources, SHA-256 of every CSV
===============================  =====================================================

Writing is atomic (a temporary folder renamed into place) and never replaces an
existing folder unless ``overwrite=True``.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import _table_io
from .table import IOTable

__all__ = ["write_csv_folder", "read_csv_folder", "to_pymrio", "from_pymrio"]


def write_csv_folder(table: IOTable, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Write ``table`` as a CSV folder at ``path``.

    Parameters
    ----------
    table : IOTable
    path : path-like
        The folder to create.
    overwrite : bool
        Replace an existing folder (whole) instead of raising.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OverwriteError
        If ``path`` exists and ``overwrite`` is false.

    Examples
    --------
    >>> import tempfile, pathlib, xn_io
    >>> t = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], sectors=["a", "b"])
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "mb"
    >>> _ = write_csv_folder(t, folder)
    >>> read_csv_folder(folder) == t
    True
    """
    return _table_io.write_csv_folder(table, path, overwrite=overwrite)


def read_csv_folder(path: str | os.PathLike, *, verify_checksums: bool = True) -> IOTable:
    """Read a table written by :func:`write_csv_folder`.

    Parameters
    ----------
    path : path-like
        The folder.
    verify_checksums : bool
        Check each CSV against the SHA-256 recorded in ``metadata.toml`` and
        raise if a file was changed after it was written. Pass ``False``
        after editing the CSVs by hand.

    Raises
    ------
    TableError
        A file is missing, unreadable or altered, or the table is invalid
        (see :class:`IOTable`).

    Examples
    --------
    >>> import tempfile, pathlib, xn_io
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "mb"
    >>> _ = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700]).to_csv(folder)
    >>> read_csv_folder(folder).A.round(2).to_numpy().tolist()
    [[0.15, 0.25], [0.2, 0.05]]
    """
    return _table_io.read_csv_folder(path, table_cls=IOTable, verify_checksums=verify_checksums)


def to_pymrio(table: IOTable, *, region: str | None = None):
    """The table as a pymrio ``IOSystem`` (one region, or the table's own regions).

    Value added (and other primary inputs) become the extensions
    ``factor_inputs`` (and ``other_inputs``); the satellites become the
    extension ``satellites``: one stressor per account, its unit, status and
    note in the extension's ``unit`` frame (columns ``unit``, ``status``,
    ``note``), its direct final-demand amounts in ``F_Y``. :func:`from_pymrio`
    reads all of it back, so ``from_pymrio(to_pymrio(t))`` equals ``t`` in
    blocks, labels, name, units and satellites.

    Parameters
    ----------
    table : IOTable
    region : str, optional
        Region label of a single-region table (default: the table's name, or
        ``"region"``). A table whose sectors are (region, sector) pairs keeps
        its own regions.

    Returns
    -------
    pymrio.IOSystem
        Named after the table; ``Z``, ``Y``, ``x`` and ``unit`` set
        (``calc_all()`` computes the rest).

    Raises
    ------
    ImportError
        If pymrio is not installed (``pip install "xn_io[test]"``).

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], name="mb")
    >>> io = to_pymrio(t)
    >>> _ = io.calc_all()
    >>> io.L.round(6).to_numpy().tolist()
    [[1.254125, 0.330033], [0.264026, 1.122112]]
    """
    return _table_io.to_pymrio(table, region=region)


def from_pymrio(
    io_system,
    region: str | None = None,
    *,
    value_added: str = "factor_inputs",
    other_inputs: str = "other_inputs",
    status: str = "estimate",
    year: int | None = None,
    rtol: float = 1e-6,
) -> IOTable:
    """One region of a pymrio ``IOSystem`` as a single-region table.

    Domestic flows ``Z[r, r]`` stay in ``Z``; purchases from other regions
    become the ``imports`` row of ``M``; sales to other regions (intermediate
    and final) become the ``exports`` column of ``Y`` (only when the system has
    other regions); the region's own final demand for its own products keeps
    its categories. The extension named by ``value_added`` becomes ``V``, the
    one named by ``other_inputs`` adds rows to ``M``; every stressor of the
    other extensions becomes a satellite with its unit and its direct
    final-demand amounts, named by the stressor (a tuple label joined with
    ``/``), or ``extension:stressor`` when two extensions share a stressor name.

    Parameters
    ----------
    io_system : pymrio.IOSystem
        With ``Z`` and ``Y`` present (``calc_system()`` or ``calc_all()`` if needed).
    region : str, optional
        Required when the system has more than one region.
    value_added : str
        Name of the extension holding value added.
    other_inputs : str
        Name of an extension whose rows are added to ``M`` (as written by
        :func:`to_pymrio`), if the system has one.
    status : {"estimate", "official", "mixed", "illustrative"}
        Status of the satellites whose extension does not say (an extension
        written by :func:`to_pymrio` carries a ``status`` column). MRIO
        databases are modelled estimates, hence the default; pass
        ``"illustrative"`` for test data such as ``pymrio.load_test()``.
    year : int, optional
        The table's year (pymrio keeps none).
    rtol : float
        Tolerance of the identities.

    Returns
    -------
    IOTable
        Named after the system (``name:region`` when it has several regions).

    Raises
    ------
    TableError
        If ``region`` is not in the system, is missing for a multi-region
        system, or the blocks are missing.

    Examples
    --------
    >>> import pymrio
    >>> t = from_pymrio(pymrio.load_test(), "reg1", status="illustrative")
    >>> t.n, list(t.M.index), t.name
    (8, ['imports', 'other_primary_inputs'], 'testmrio:reg1')
    >>> sorted(t.satellites)
    ['emission_type1/air', 'emission_type2/water']
    """
    return _table_io.from_pymrio(
        io_system,
        region,
        table_cls=IOTable,
        value_added=value_added,
        other_inputs=other_inputs,
        status=status,
        year=year,
        rtol=rtol,
    )
