"""Perturbed copies of a table: the draws of a Monte Carlo over its uncertain coefficients.

:func:`perturb_table` returns a new :class:`~xn_io.table.IOTable` whose technical
coefficients and CO2, energy and capital intensities are multiplied by random
factors within the ranges of a :class:`Perturbation`, with both accounting
identities kept. It is a table transformation (the table layer); the Monte Carlo
that solves a plan on each draw is :func:`xn_io.optimize.monte_carlo`.

How a table is perturbed (:class:`Perturbation`)
------------------------------------------------
* **Technical coefficients**: every ``a_ij`` is multiplied by its own factor
  drawn uniformly from ``[1 − technical, 1 + technical]``. Base-year gross
  output ``x`` is held (it is the better-measured quantity); each product's
  final demand (all categories in proportion) absorbs the change of its
  intermediate sales, and each sector's value added (all rows in proportion)
  the change of its intermediate purchases, so both accounting identities
  still hold exactly. A draw is kept only if every final demand and every
  value added stays positive; then ``(I − A')x = y' > 0`` with ``x > 0``,
  which proves the economy productive: the spectral radius of ``A'`` is at
  most ``max_i (A'x)_i / x_i < 1`` (Collatz–Wielandt bound; Miller & Blair
  2022, §2.6). A rejected draw is redrawn, up to ``max_redraws`` times; after
  that the last draw's deviations are halved until it is accepted (recorded
  as ``technical_shrink``).
* **CO2 and energy intensities, capital–output ratios**: each sector's value of
  the ``"co2"``, ``"energy"`` and ``"capital"`` satellites is multiplied by its
  own factor, uniform in ``[1 − r, 1 + r]``. Households' direct emissions and
  other satellites are left as they are.

Draws are reproducible: the same ``seed`` gives the same table.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ArgumentError, ArgumentTypeError, ScenarioError, TableError

__all__ = ["Perturbation", "perturb_table"]

_SATELLITES = (("co2", "co2"), ("energy", "energy"), ("capital", "capital"))


@dataclass(frozen=True)
class Perturbation:
    """Ranges of the multiplicative perturbations of :func:`perturb_table` (all uniform, independent).

    Each value ``r`` means a factor uniform in ``[1 − r, 1 + r]`` per
    coefficient (technical) or per sector (satellites); 0 switches that part off.
    The defaults are xn_io's assumptions, not estimates from data: set them
    from what you know of your table's uncertainty.

    Attributes
    ----------
    technical : float
        Technical coefficients ``a_ij``. Default 0.10.
    co2 : float
        CO2 per unit of output (the ``"co2"`` satellite). Default 0.15.
    energy : float
        Energy per unit of output (the ``"energy"`` satellite). Default 0.10.
    capital : float
        Capital per unit of output (the ``"capital"`` satellite, the
        capital–output ratio of the plan model). Default 0.20.
    max_redraws : int
        Draws of the technical factors tried before the deviations are shrunk. Default 100.

    Raises
    ------
    ScenarioError
        A range outside ``[0, 1)`` or a negative ``max_redraws``.

    Examples
    --------
    >>> Perturbation(technical=0.2).co2, Perturbation(0, 0, 0, 0).is_zero
    (0.15, True)
    """

    technical: float = 0.10
    co2: float = 0.15
    energy: float = 0.10
    capital: float = 0.20
    max_redraws: int = 100

    def __post_init__(self) -> None:
        for name in ("technical", "co2", "energy", "capital"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
                raise ScenarioError(f"Perturbation.{name} must be a number in [0, 1), got {value!r}", field=name)
        if isinstance(self.max_redraws, bool) or not isinstance(self.max_redraws, int) or self.max_redraws < 0:
            raise ScenarioError(f"Perturbation.max_redraws must be an integer ≥ 0, got {self.max_redraws!r}",
                                field="max_redraws")

    @property
    def is_zero(self) -> bool:
        """True when nothing is perturbed."""
        return self.technical == self.co2 == self.energy == self.capital == 0


def _seed_sequence(seed) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if seed is None or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0):
        return np.random.SeedSequence(None if seed is None else int(seed))
    raise ArgumentError(f"seed must be a non-negative integer, a numpy SeedSequence or None, got {seed!r}", argument="seed")


def _rebalance(table, A2: np.ndarray):
    """Z, Y, V of a table with coefficients ``A2`` and the same x, or None if a final demand or value added is ≤ 0."""
    x = table.x.to_numpy(dtype=float)
    Z2 = A2 * x[np.newaxis, :]
    Y = table.Y.to_numpy(dtype=float)
    fd_old = Y.sum(axis=1)
    fd_new = x - Z2.sum(axis=1)
    V = table.V.to_numpy(dtype=float)
    va_old = V.sum(axis=0)
    m = table.M.to_numpy(dtype=float).sum(axis=0) if table.M is not None and len(table.M) else 0.0
    va_new = x - Z2.sum(axis=0) - m
    tol = 1e-9 * x
    if np.any(fd_new <= tol) or np.any(va_new <= tol):
        return None
    Y2 = Y * (fd_new / fd_old)[:, np.newaxis]
    V2 = V * (va_new / va_old)[np.newaxis, :]
    return (
        pd.DataFrame(Z2, index=table.Z.index, columns=table.Z.columns),
        pd.DataFrame(Y2, index=table.Y.index, columns=table.Y.columns),
        pd.DataFrame(V2, index=table.V.index, columns=table.V.columns),
    )


def perturb_table(table, perturbation: Perturbation | None = None, *, seed=None):
    """A copy of ``table`` with its coefficients perturbed within the ranges of ``perturbation``.

    Parameters
    ----------
    table : IOTable
    perturbation : Perturbation, optional
        Default ``Perturbation()``.
    seed : int or numpy.random.SeedSequence, optional
        Seed of the draw.

    Returns
    -------
    IOTable
        Balanced and productive (see the module docstring); ``metadata["perturbation"]``
        holds the ranges, ``redraws``, ``technical_shrink`` and ``spectral_bound``
        (``max_i (A'x)_i / x_i``, an upper bound of the spectral radius of ``A'``).
        With a zero perturbation the table itself is returned.

    Raises
    ------
    TableError
        Output, a product's final demand or a sector's value added is ≤ 0 in
        the table itself (the rebalancing needs them positive).

    References
    ----------
    Miller, R. E. & Blair, P. D. (2022). *Input–Output Analysis*, 3rd ed., §2.6
    (Hawkins–Simon conditions, productive economies).

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.load_table("xianning-2025")
    >>> p = perturb_table(t, Perturbation(technical=0.1, co2=0.2), seed=1)
    >>> ratio = (p.A / t.A).stack().dropna()
    >>> bool(ratio.between(0.9, 1.1).all()), bool((p.x == t.x).all())
    (True, True)
    >>> bool(p.metadata["perturbation"]["spectral_bound"] < 1)
    True
    """
    p = perturbation if perturbation is not None else Perturbation()
    if not isinstance(p, Perturbation):
        raise ArgumentTypeError(f"perturbation must be a Perturbation, got {type(p).__name__}", argument="perturbation")
    if p.is_zero:
        return table
    rng_tech, *rng_sat = (np.random.default_rng(s) for s in _seed_sequence(seed).spawn(1 + len(_SATELLITES)))
    x = table.x.to_numpy(dtype=float)
    A = table.A.to_numpy(dtype=float)
    info = {"technical": p.technical, "co2": p.co2, "energy": p.energy, "capital": p.capital,
            "redraws": 0, "technical_shrink": 1.0}
    changes: dict = {}
    if p.technical > 0:
        bad = np.flatnonzero(x <= 0)
        if bad.size:
            raise TableError(f"perturb_table: sector {table.sectors[bad[0]]!r} has output {x[bad[0]]} ≤ 0 "
                             f"({bad.size} such sectors); output must be positive")
        for label, values in (("final demand", table.Y.sum(axis=1)), ("value added", table.V.sum(axis=0))):
            low = values[values <= 0]
            if len(low):
                raise TableError(f"perturb_table: {label} of {low.index[0]!r} is {low.iloc[0]:g} ≤ 0 "
                                 f"({len(low)} sectors); it must be positive to absorb the perturbation")
        blocks = None
        for attempt in range(p.max_redraws + 1):
            factors = rng_tech.uniform(1 - p.technical, 1 + p.technical, A.shape)
            blocks = _rebalance(table, A * factors)
            if blocks is not None:
                info["redraws"] = attempt
                break
        shrink = 1.0
        while blocks is None:  # never accepted: halve the last draw's deviations (shrink → 0 is the table itself)
            shrink /= 2
            blocks = _rebalance(table, A * (1 + (factors - 1) * shrink))
        info["redraws"] = info["redraws"] if shrink == 1.0 else p.max_redraws
        info["technical_shrink"] = shrink
        changes.update(Z=blocks[0], Y=blocks[1], V=blocks[2], x=table.x)
        A2 = blocks[0].to_numpy() / x[np.newaxis, :]
    else:
        A2 = A
    info["spectral_bound"] = float(np.max((A2 @ x) / x)) if np.all(x > 0) else float("nan")
    satellites = dict(table.satellites)
    for (name, attr), rng in zip(_SATELLITES, rng_sat):
        r = getattr(p, attr)
        if r == 0 or name not in satellites:
            continue
        sat = satellites[name]
        factor = rng.uniform(1 - r, 1 + r, len(sat.values))
        satellites[name] = dataclasses.replace(
            sat, values=sat.values * factor,
            status="estimate" if sat.status in ("official", "mixed") else sat.status,
            note=f"{sat.note} [Monte Carlo draw: each sector × a factor uniform in [{1 - r:g}, {1 + r:g}]]".strip(),
        )
    metadata = {**dict(table.metadata or {}), "perturbation": info}
    return table.replace(satellites=satellites, metadata=metadata, **changes)
