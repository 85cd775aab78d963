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
* **The location quotient's δ** (``delta=True``, for a table whose build recorded
  ``metadata["delta_range"]``, as ``xianning-2025`` does): δ is drawn uniformly in
  the documented range and the table's local share of intermediate inputs moved
  to the share recorded for that δ (linear between the recorded points). The
  local purchases of the tradable rows are scaled by one factor; what they buy
  locally less (more) they import more (less), and sell outside more (less), so
  ``x`` and both identities hold; rows the build fixed (services sold outside only
  to visitors, ``metadata["estimates"]["sold_outside_only_to_visitors"]``) keep
  their flows. The factor is limited so that no export or import turns negative
  (recorded as ``delta_shrink`` when it bites). This is an approximation of
  rebuilding the table at that δ: the quotient scales every coefficient it
  does not cap by λ*(δ), and the rows' differences are averaged out.

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
    delta : bool
        Draw the location quotient's δ in the table's documented range
        (``metadata["delta_range"]``) and move its local purchases accordingly
        (see the module docstring). Default False.

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
    delta: bool = False

    def __post_init__(self) -> None:
        for name in ("technical", "co2", "energy", "capital"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
                raise ScenarioError(f"Perturbation.{name} must be a number in [0, 1), got {value!r}", field=name)
        if isinstance(self.max_redraws, bool) or not isinstance(self.max_redraws, int) or self.max_redraws < 0:
            raise ScenarioError(
                f"Perturbation.max_redraws must be an integer ≥ 0, got {self.max_redraws!r}", field="max_redraws"
            )
        if not isinstance(self.delta, bool):
            raise ScenarioError(f"Perturbation.delta must be True or False, got {self.delta!r}", field="delta")

    @property
    def is_zero(self) -> bool:
        """True when nothing is perturbed."""
        return self.technical == self.co2 == self.energy == self.capital == 0 and not self.delta


def _seed_sequence(seed) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if seed is None or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0):
        return np.random.SeedSequence(None if seed is None else int(seed))
    raise ArgumentError(
        f"seed must be a non-negative integer, a numpy SeedSequence or None, got {seed!r}", argument="seed"
    )


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


def _delta_shift(table, rng) -> tuple[dict, dict]:
    """Blocks of ``table`` with its local purchases moved to a δ drawn in its documented range, and the draw's record."""
    meta = table.metadata or {}
    block = meta.get("delta_range")
    if not isinstance(block, dict) or len(block) < 2:
        raise ScenarioError(
            f"Perturbation.delta: table {table.name!r} records no range of δ (metadata 'delta_range', "
            "written by a table build that rebuilds the table at the ends of the range)",
            field="delta",
        )
    points = sorted((float(v["delta"]), float(v["local_intermediate_share"])) for v in block.values())
    deltas, shares = np.array([d for d, _ in points]), np.array([s for _, s in points])
    if "imports" not in table.M.index or "exports" not in table.Y.columns:
        raise TableError(
            f"Perturbation.delta needs an 'imports' row in M and an 'exports' column in Y; "
            f"table {table.name!r} has M rows {list(table.M.index)} and Y columns {list(table.Y.columns)}"
        )
    d = float(rng.uniform(deltas[0], deltas[-1]))
    Z = table.Z.to_numpy(dtype=float)
    exports = table.Y["exports"].to_numpy(dtype=float)
    imports = table.M.loc["imports"].to_numpy(dtype=float)
    fixed_names = set((meta.get("estimates") or {}).get("sold_outside_only_to_visitors", []))
    free = np.array([s not in fixed_names for s in table.sectors])
    local, outside = Z.sum(), imports.sum()
    target = float(np.interp(d, deltas, shares)) * (local + outside)
    free_local = Z[free].sum()
    k = (target - Z[~free].sum()) / free_local if free_local > 0 else 1.0
    rows, cols = Z[free].sum(axis=1), Z[free].sum(axis=0)
    if k > 1:  # buying more locally: exports of the free rows and imports of every column fall
        limit = min(
            np.min(exports[free][rows > 0] / rows[rows > 0], initial=np.inf),
            np.min(imports[cols > 0] / cols[cols > 0], initial=np.inf),
        )
        k_used = min(k, 1 + limit)
    else:
        k_used = k
    Z2 = Z.copy()
    Z2[free] *= k_used
    Y2 = table.Y.copy()
    Y2.loc[free, "exports"] = exports[free] - (k_used - 1) * rows
    M2 = table.M.copy()
    M2.loc["imports"] = imports - (k_used - 1) * cols
    changes = {
        "Z": pd.DataFrame(Z2, index=table.Z.index, columns=table.Z.columns),
        "Y": Y2,
        "M": M2,
        "x": table.x,
        "V": table.V,
    }
    info = {
        "delta": d,
        "local_share_target": float(target / (local + outside)),
        "local_share": float(Z2.sum() / (local + outside)),
        "delta_scale": float(k_used),
        "delta_shrink": float((k_used - 1) / (k - 1)) if k != 1 else 1.0,
    }
    return changes, info


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

    Drawing the location quotient's δ in the range the table's build recorded:

    >>> d = perturb_table(t, Perturbation(technical=0, co2=0, energy=0, capital=0, delta=True), seed=3)
    >>> info = d.metadata["perturbation"]
    >>> bool(0.0 <= info["delta"] <= 0.47), round(info["local_share"], 6) == round(info["local_share_target"], 6)
    (True, True)
    >>> bool((d.x == t.x).all()), bool((d.Y["exports"] >= 0).all()), bool((d.M >= 0).all().all())
    (True, True, True)
    """
    p = perturbation if perturbation is not None else Perturbation()
    if not isinstance(p, Perturbation):
        raise ArgumentTypeError(f"perturbation must be a Perturbation, got {type(p).__name__}", argument="perturbation")
    if p.is_zero:
        return table
    # children 0..3 as before (technical, satellites), child 4 for δ: earlier draws are unchanged by it
    rng_tech, *rng_sat, rng_delta = (np.random.default_rng(s) for s in _seed_sequence(seed).spawn(2 + len(_SATELLITES)))
    info = {
        "technical": p.technical,
        "co2": p.co2,
        "energy": p.energy,
        "capital": p.capital,
        "redraws": 0,
        "technical_shrink": 1.0,
    }
    changes: dict = {}
    if p.delta:
        changes, delta_info = _delta_shift(table, rng_delta)
        info.update(delta_info)
        table = table.replace(**changes)
    x = table.x.to_numpy(dtype=float)
    A = table.A.to_numpy(dtype=float)
    if p.technical > 0:
        bad = np.flatnonzero(x <= 0)
        if bad.size:
            raise TableError(
                f"perturb_table: sector {table.sectors[bad[0]]!r} has output {x[bad[0]]} ≤ 0 "
                f"({bad.size} such sectors); output must be positive"
            )
        for label, values in (("final demand", table.Y.sum(axis=1)), ("value added", table.V.sum(axis=0))):
            low = values[values <= 0]
            if len(low):
                raise TableError(
                    f"perturb_table: {label} of {low.index[0]!r} is {low.iloc[0]:g} ≤ 0 "
                    f"({len(low)} sectors); it must be positive to absorb the perturbation"
                )
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
            sat,
            values=sat.values * factor,
            status="estimate" if sat.status in ("official", "mixed") else sat.status,
            note=f"{sat.note} [Monte Carlo draw: each sector × a factor uniform in [{1 - r:g}, {1 + r:g}]]".strip(),
        )
    metadata = {**dict(table.metadata or {}), "perturbation": info}
    return table.replace(satellites=satellites, metadata=metadata, **changes)
