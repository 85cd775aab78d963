"""Import substitution as a decision of the plan model (补链): local supply of chain inputs, pair by pair.

The plan model's regional purchase coefficients ``r_qj = z_qj / x_j`` are fixed:
a sector buys the same share of each input in the region whatever is built. For
chosen (input, buyer) pairs this module lets the model buy more of the input
locally, up to its *technical* coefficient ``a*_qj = (z_qj + m_qj) / x_j``
(all of the input, wherever it comes from; ``m_qj`` is the imported input,
estimated by :func:`~xn_io.network.gap_imports`). For each pair and plan year
two linear variables split the input:

    local[q,j,y] + outside[q,j,y] = a*_qj · x[j,y]

and the balance row of product q uses ``local`` instead of the fixed ``r_qj x[j,y]``.
The local share is bounded by a path:

    r_qj · x[j,y] ≤ local[q,j,y] ≤ (r_qj + θ_y (a*_qj − r_qj)) · x[j,y],   θ_y = min(1, ρ_qj · (y − base))

with ρ the pair's rate (share of the base-year gap closed per year at most).
``substitution_mode = "require"`` makes the upper bound an equality (a what-if).
Bounds at zero give back the fixed-coefficient model exactly; positive bounds
only enlarge the feasible set, so the optimum never falls.

Local supply is not free: the extra local output needs capacity, capacity needs
investment (the budget, the capacity law and the utilisation floor apply), and
the buyer's value added per unit of output is unchanged (it pays the same for
the input wherever it buys it). Substitution therefore raises GDP only by the
value added of the local supplier and its own suppliers, at the capital cost of
their capacity.

By default the pairs are the chain gaps of every pillar that are manufactured
goods: the inputs a pillar buys mostly outside the region
(:func:`~xn_io.network.chain_gaps`, import share ≥ 50 %) that a local plant
can make — manufacturing by the table's own classification
(:func:`manufacturing_sectors`), not services, mining, utilities or
construction — each with every sector of the pillar that imports it. A
mine's output depends on its deposit and a service import (a head office, a
provincial bank, freight through Wuhan) is not a plant that investment can
bring in: such pairs can still be given explicitly (``chains.substitution``).

References
----------
Miller, R. E. & Blair, P. D. (2022). *Input-Output Analysis*, 3rd ed., ch. 3 and 8
(regional purchase coefficients, import substitution as a change of coefficients).
Flegg, A. T. & Webber, C. D. (1997). On the appropriate use of location quotients in
generating regional input-output tables. *Regional Studies* 31(8), 795–805.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pyomo.environ as pe
from pyomo.core.expr.numeric_expr import LinearExpression

from ..errors import ScenarioError

__all__ = [
    "manufacturing_sectors",
    "substitution_pairs",
    "add_substitution",
    "local_supply_frame",
    "sector_local_supporting_rate",
    "add_local_supporting_target",
    "add_chains",
    "plan_local_supporting_rate",
    "chain_summary",
]

_PAIR_COLUMNS = ["input", "buyer", "pillar", "regional", "technical", "gap", "imported", "rate"]


def _imports(table) -> pd.DataFrame | None:
    from ..imports_by_product import gap_imports, has_imports

    if not has_imports(table):
        return None
    return gap_imports(table)


def _product_of(make: pd.Series) -> dict:
    """Sector or product name → product of the plan model."""
    out = {sec: prod for sec, prod in make.items()}
    out.update({prod: prod for prod in make})
    return out


#: NBS codes of manufacturing in the 153-product tables (GB/T 4754-2017 section C, divisions 13–43).
MANUFACTURING_CODES = range(12, 100)


def manufacturing_sectors(table) -> list[str]:
    """Sectors of a table that make manufactured goods: every product code in ``sector_info.nbs153`` is NBS 012–099.

    The goods a local plant can make, and so the inputs that default import
    substitution may bring into the region (:func:`substitution_pairs`); the
    table's own classification, read from its NBS 153-product codes (012–099 is
    manufacturing; 001–005 agriculture, 006–011 mining, 100–102 utilities,
    103–108 construction, 109–153 services).

    Parameters
    ----------
    table : IOTable
        With a ``nbs153`` column of code ranges in ``sector_info`` (e.g. ``"NBS 043-046;049"``).

    Returns
    -------
    list of str
        In the table's order; empty if the table has no ``nbs153`` codes.

    Raises
    ------
    TableError
        A sector's codes cannot be read.

    References
    ----------
    National Bureau of Statistics (2020). *Input-Output Table of China 2017*, product
    classification (153 products); GB/T 4754-2017 *Industrial classification for national
    economic activities*.

    Examples
    --------
    >>> import xn_io
    >>> goods = manufacturing_sectors(xn_io.load_table("xianning-2025"))
    >>> "basic_chemicals" in goods, "mining" in goods, "power_coal" in goods, "trade" in goods
    (True, False, False, False)
    """
    from ..imports_by_product import _parse_codes

    info = table.sector_info
    if info is None or "nbs153" not in info.columns:
        return []
    out = []
    for sector in table.sectors:
        spec = info.loc[sector, "nbs153"]
        codes = _parse_codes(spec, 3) if isinstance(spec, str) else []
        if codes and all(int(c) in MANUFACTURING_CODES for c in codes):
            out.append(sector)
    return out


def substitution_pairs(table, data, *, imports: pd.DataFrame | None = None) -> pd.DataFrame:
    """The (input, buyer) pairs whose local share the plan model may raise, with their coefficients and rates.

    Parameters
    ----------
    table : IOTable
        The regional table (with an ``imports`` row in ``M``).
    data : PlanData
        From :func:`~xn_io.optimize.plan_data` (its scenario sets the pairs and rates).
    imports : pandas.DataFrame, optional
        Imported inputs by product × buyer (default :func:`~xn_io.network.gap_imports`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``"input>buyer"`` (input = product of the plan model):
        ``input``, ``buyer``, ``pillar`` (the chain whose gap it is, or
        ``"scenario"``), ``regional`` (r, base-year local purchases per unit
        of the buyer's output), ``technical`` (a* = r + imports per unit),
        ``gap`` (a* − r), ``imported`` (base-year imports of the pair, money)
        and ``rate`` (share of the gap the local share may rise by per year).
        ``attrs["imports_method"]`` says how the imports were estimated
        (an estimate, labelled).

    Raises
    ------
    ScenarioError
        A pair names an unknown input or buyer, a pillar the table lacks, or
        an input the buyer does not import (nothing to substitute); or default
        pairs are asked of a table without the ``nbs153`` codes that tell
        manufactured goods (:func:`manufacturing_sectors`).

    Examples
    --------
    >>> import xn_io
    >>> from xn_io.optimize import Scenario, plan_data
    >>> t = xn_io.load_table("xianning-2025")
    >>> s = Scenario(substitution_pillars=[], substitution={"basic_chemicals>new_chemical_materials": 0.1})
    >>> p = substitution_pairs(t, plan_data(t, s))
    >>> row = p.loc["basic_chemicals>new_chemical_materials"]
    >>> bool(row["technical"] > row["regional"] > 0), float(row["rate"])
    (True, 0.1)
    """
    s = data.scenario
    empty = pd.DataFrame(columns=_PAIR_COLUMNS)
    if s.substitution_rate == 0 and not any(v > 0 for v in s.substitution.values()):
        return empty
    product = _product_of(data.make)
    imp = imports if imports is not None else _imports(table)
    if imp is None:
        raise ScenarioError(
            f"import substitution needs imported inputs: table {table.name!r} has no 'imports' row in M",
            field="chains.substitution",
        )
    sectors = list(data.sectors)
    # imports by product of the model × buyer
    imp_q = imp.reindex(index=sectors, columns=sectors).fillna(0.0).groupby(data.make).sum()
    # plain dicts for the lookups pair by pair (pandas scalar access costs ~10 µs a time)
    imported = {q: dict(zip(imp_q.columns, row)) for q, row in zip(imp_q.index, imp_q.to_numpy().tolist())}
    x0 = dict(zip(data.x0.index, data.x0.to_numpy().tolist()))
    pairs: dict[str, dict] = {}
    if s.substitution_rate > 0:
        from ..gaps import chain_gaps, pillar_weights

        goods = set(manufacturing_sectors(table))
        if not goods:
            raise ScenarioError(
                f"chains.substitution_rate: the default pairs take manufactured inputs only, told by the NBS "
                f"product codes of sector_info['nbs153'] (012–099); table {table.name!r} has none: "
                "list the pairs in chains.substitution instead",
                field="chains.substitution_rate",
            )
        have = [] if table.pillars is None else list(dict.fromkeys(table.pillars["pillar"]))
        chosen = have if s.substitution_pillars is None else list(s.substitution_pillars)
        for pillar in chosen:
            if pillar not in have:
                raise ScenarioError(
                    f"chains.substitution_pillars: the table has no pillar {pillar!r} (it has {have})",
                    field=f"chains.substitution_pillars.{pillar}",
                )
            gaps = chain_gaps(table, pillar, imports=imp, local_share=None)
            w = pillar_weights(table, pillar)
            buyers = list(w.index[w > 0])
            for inp in gaps.index:
                if inp not in goods:
                    continue
                q = product[inp]
                for buyer in buyers:
                    key = f"{q}>{buyer}"
                    if imported[q][buyer] > 0 and key not in pairs:
                        pairs[key] = dict(input=q, buyer=buyer, pillar=pillar, rate=float(s.substitution_rate))
    for key, rate in s.substitution.items():
        inp, buyer = (part.strip() for part in key.split(">"))
        field = f"chains.substitution.{key}"
        if inp not in product:
            raise ScenarioError(f"{field}: the table has no input {inp!r}", field=field)
        if buyer not in sectors:
            raise ScenarioError(f"{field}: the table has no buying sector {buyer!r}", field=field)
        q = product[inp]
        k = f"{q}>{buyer}"
        if rate == 0:
            pairs.pop(k, None)
            continue
        if imported[q][buyer] <= 0:
            raise ScenarioError(
                f"{field}: {buyer} buys no {q} outside the region (estimated imports 0): nothing to substitute",
                field=field,
            )
        old = pairs.get(k, {})
        pairs[k] = dict(input=q, buyer=buyer, pillar=old.get("pillar", "scenario"), rate=float(rate))
    A = data.A
    rows_of, cols_of = {q: k for k, q in enumerate(A.index)}, {j: k for k, j in enumerate(A.columns)}
    A_arr = A.to_numpy()
    rows = []
    for key, p in pairs.items():
        q, j = p["input"], p["buyer"]
        r = float(A_arr[rows_of[q], cols_of[j]])
        m = float(imported[q][j])
        a = r + m / x0[j] if x0[j] > 0 else r
        rows.append((key, q, j, p["pillar"], r, a, a - r, m, p["rate"]))
    frame = pd.DataFrame(rows, columns=["key", *_PAIR_COLUMNS]).set_index("key") if rows else empty
    frame.index.name = "pair"
    frame.attrs["imports_method"] = imp.attrs.get("method", "given")
    return frame


def _bound_share(pairs: pd.DataFrame, years, base: int) -> pd.DataFrame:
    """Upper bound of the local share (local purchases per unit of the buyer's output), pair × year."""
    theta = np.minimum(1.0, np.outer(pairs["rate"].to_numpy(), np.asarray(years) - base))
    up = pairs["regional"].to_numpy()[:, None] + theta * pairs["gap"].to_numpy()[:, None]
    return pd.DataFrame(up, index=pairs.index, columns=list(years))


def add_substitution(m, table) -> pe.Block | None:
    """Add import substitution to a built plan model ``m`` (:func:`~xn_io.optimize.build_model`), in place.

    Builds the block ``m.substitution`` — set ``PAIRS``; the variable ``extra``
    (local purchases above the regional coefficient, ≥ 0, pair × plan year,
    money) and the expressions ``local`` = r·x + extra and ``outside`` =
    a*·x − local; the constraint ``cap`` (extra ≤ (bound − r)·x, an equality
    in ``"require"`` mode); the mutable ``bound`` (largest local purchases
    per unit of the buyer's output, pair × year, at most the technical
    coefficient: set it to the regional coefficient to switch a pair off in
    a built model); and the pair data ``pairs`` (:func:`substitution_pairs`)
    — and rewrites the balance rows of the substituted inputs. Returns the
    block, or None when the scenario substitutes nothing.

    This is the model of the module docstring with the split row solved for
    ``outside`` and the floor made a variable bound: the same feasible set
    and optimum, with one row per pair and year instead of three (handing
    the rows to the solver dominates the solve time of a model with many pairs).
    """
    d = m.xn_data
    s = d.scenario
    pairs = substitution_pairs(table, d)
    if pairs.empty:
        return None
    years = list(d.years)
    x = m.io.x
    blk = pe.Block()
    m.substitution = blk
    blk.pairs = pairs
    blk.share_max = _bound_share(pairs, years, d.base_year)
    blk.PAIRS = pe.Set(initialize=list(pairs.index), ordered=True)
    tech = pairs["technical"].to_dict()
    reg = pairs["regional"].to_dict()
    buyer = pairs["buyer"].to_dict()
    keys = list(pairs.index)
    blk.bound = pe.Param(
        blk.PAIRS,
        m.YEARS,
        initialize=dict(zip(itertools.product(keys, years), blk.share_max.to_numpy().ravel().tolist())),
        mutable=True,
        within=pe.NonNegativeReals,
    )
    up = blk.bound
    lin = lambda coefs, vars_: LinearExpression(constant=0.0, linear_coefs=coefs, linear_vars=vars_)
    # local = r·x + extra with extra ≥ 0 (the floor is the variable's bound) and outside = a*·x − local
    # (≥ 0 as long as the bound stays within the technical coefficient): one row per pair and year
    blk.extra = pe.Var(blk.PAIRS, m.YEARS, domain=pe.NonNegativeReals)
    blk.local = pe.Expression(
        blk.PAIRS, m.YEARS, rule=lambda b, p, y: lin([reg[p], 1.0], [x[buyer[p], y], b.extra[p, y]])
    )
    blk.outside = pe.Expression(
        blk.PAIRS, m.YEARS, rule=lambda b, p, y: lin([tech[p] - reg[p], -1.0], [x[buyer[p], y], b.extra[p, y]])
    )
    cap = lambda b, p, y: b.extra[p, y] - (up[p, y] - reg[p]) * x[buyer[p], y]
    if s.substitution_mode == "require":
        blk.cap = pe.Constraint(blk.PAIRS, m.YEARS, rule=lambda b, p, y: cap(b, p, y) == 0)
    else:
        blk.cap = pe.Constraint(blk.PAIRS, m.YEARS, rule=lambda b, p, y: cap(b, p, y) <= 0)
    # the balance of each substituted input: local purchases (r·x + extra) replace the fixed r·x
    by_input: dict[str, list[str]] = {}
    for p, q in zip(keys, pairs["input"].tolist()):
        by_input.setdefault(q, []).append(p)
    for y in years:
        for q, ps in by_input.items():
            con = m.io.balance[q, y]
            body = con.body - lin([1.0] * len(ps), [blk.extra[p, y] for p in ps])
            con.set_value(body == pe.value(con.upper))
    return blk


def local_supply_frame(m) -> pd.DataFrame:
    """The local share path of every substituted pair in a solved model, long form.

    Columns: ``pair``, ``input``, ``buyer``, ``pillar``, ``year``, ``local``
    and ``outside`` (purchases, money), ``local_share`` = local ÷ (local +
    outside), ``base_share`` = r ÷ a* (the share in the base year) and
    ``share_max`` (the bound on the share in that year). Empty when the
    model substitutes nothing.
    """
    blk = getattr(m, "substitution", None)
    cols = ["pair", "input", "buyer", "pillar", "year", "local", "outside", "local_share", "base_share", "share_max"]
    if blk is None:
        return pd.DataFrame(columns=cols)
    pairs = blk.pairs
    rows = []
    for p in blk.PAIRS:
        row = pairs.loc[p]
        a = float(row["technical"])
        for y in m.YEARS:
            loc, out = float(pe.value(blk.local[p, y])), float(pe.value(blk.outside[p, y]))
            total = loc + out
            rows.append(
                (
                    p,
                    row["input"],
                    row["buyer"],
                    row["pillar"],
                    y,
                    loc,
                    out,
                    loc / total if total > 0 else np.nan,
                    float(row["regional"]) / a if a > 0 else np.nan,
                    float(pe.value(blk.bound[p, y])) / a if a > 0 else np.nan,
                )
            )
    return pd.DataFrame(rows, columns=cols)


def _rate_coefficients(table) -> dict | None:
    """Local and total intermediate inputs per unit of output by sector, and the pillar weights (sector × pillar)."""
    from ..imports_by_product import IMPORTS_ROW, has_imports

    if table.pillars is None or not has_imports(table):
        return None
    x0 = table.x.astype(float)
    Z = table.Z
    if IMPORTS_ROW in table.M.index:
        m_j = table.M.loc[IMPORTS_ROW].astype(float)
    else:
        m_j = table.M.loc[[r for r in table.M.index if str(r).startswith(IMPORTS_ROW + ":")]].sum().astype(float)
    inv = (1.0 / x0).where(x0 > 0, 0.0)
    weights = (
        table.pillars.groupby(["sector", "pillar"], sort=False)["share"]
        .sum()
        .unstack("pillar")
        .reindex(index=table.sectors)
        .fillna(0.0)
    )
    weights = weights[list(dict.fromkeys(table.pillars["pillar"]))]
    return dict(local=Z.sum(axis=0) * inv, total=(Z.sum(axis=0) + m_j) * inv, weights=weights)


def _rates(coefs: dict | None, output: pd.DataFrame, local_supply: pd.DataFrame | None) -> pd.DataFrame:
    if coefs is None:
        return pd.DataFrame()
    extra = pd.DataFrame(0.0, index=output.index, columns=output.columns)
    if local_supply is not None and len(local_supply):
        ls = local_supply
        more = ls["local"] - ls["base_share"] * (ls["local"] + ls["outside"])  # local − r·x_j (r = base share × a*)
        add = more.groupby([ls["buyer"], ls["year"]]).sum().unstack()
        extra = extra.add(add.reindex(index=output.index, columns=output.columns).fillna(0.0), fill_value=0.0)
    rows = {}
    for pillar, w in coefs["weights"].items():
        local = (output.mul(coefs["local"] * w, axis=0) + extra.mul(w, axis=0)).sum()
        total = output.mul(coefs["total"] * w, axis=0).sum()
        rows[pillar] = local / total.where(total > 0)
    frame = pd.DataFrame(rows).T.astype(float)
    frame.index.name = "pillar"
    frame.columns.name = "year"
    frame.attrs["status"] = "estimate (from the table's regional purchases and its imports row by buyer)"
    return frame


def sector_local_supporting_rate(table, output: pd.DataFrame, local_supply: pd.DataFrame | None = None) -> pd.DataFrame:
    """The sector-level 本地化配套率 of each pillar by year: local share of its sectors' intermediate inputs.

    For pillar p (sectors j with shares w_j) and year y,

        rate[p,y] = Σ_j w_j · local inputs[j,y] / Σ_j w_j · all intermediate inputs[j,y]

    where all intermediate inputs of j are ``(Σ_i z_ij + m_j) / x_j · x[j,y]``
    (regional purchases plus the ``imports`` row of ``M``) and local inputs
    are the regional purchases at the table's coefficients, plus, for the
    substituted pairs, the extra local purchases the plan makes.

    Parameters
    ----------
    table : IOTable
    output : pandas.DataFrame
        Sector × year output (a Plan's ``output``; the base year column gives the table's own rate).
    local_supply : pandas.DataFrame, optional
        A Plan's ``local_supply`` (:func:`local_supply_frame`).

    Returns
    -------
    pandas.DataFrame
        Pillar × year, shares in [0, 1]. Empty if the table has no pillars or no imports row.

    Notes
    -----
    This is the sector analogue of the plan's chain-leader target (targets.csv
    ``chain_leader_local_supply``, 30 % by 2030), which counts a *leader firm's*
    direct purchases and sales with local firms
    (:func:`~xn_io.network.local_supporting_rate`). They differ in three ways:
    the sector rate counts purchases only; it counts whole sectors, not the
    leaders; and it counts every intermediate input, including utilities,
    transport and trade bought from local sectors, which a leader's supplier
    list rarely shows. On survey data the sector rate is expected to be the
    higher of the two, and the plan's 30 % is a firm-level figure: a sector
    rate of 30 % is not the plan's target met.

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.load_table("xianning-2025")
    >>> r = sector_local_supporting_rate(t, t.x.to_frame(2025))
    >>> round(float(r.loc["green_new_materials", 2025]), 3)
    0.487
    """
    return _rates(_rate_coefficients(table), output, local_supply)


def add_local_supporting_target(m) -> pe.Block | None:
    """The family ``local_supporting_rate``: each listed pillar's sector rate in the last year ≥ its target.

    ``Σ_j w_j (l_j x_j + Σ_pairs (local − r x_j)) − τ Σ_j w_j t_j x_j ≥ 0`` with
    ``l_j``, ``t_j`` local and all intermediate inputs per unit of output
    (:func:`sector_local_supporting_rate`). A hard row, with a mutable ``level`` (τ) per pillar.
    """
    d = m.xn_data
    s = d.scenario
    targets = dict(s.local_supporting_target)
    if not targets or not s.family_on("local_supporting_rate"):
        return None
    coefs = getattr(m, "xn_chain", None)
    if coefs is None:
        raise ScenarioError(
            "targets.local_supporting_target needs a table with pillars and an 'imports' row in M",
            field="targets.local_supporting_target",
        )
    for p in targets:
        if p not in coefs["weights"].columns:
            raise ScenarioError(
                f"targets.local_supporting_target: the table has no pillar {p!r} (it has {list(coefs['weights'].columns)})",
                field=f"targets.local_supporting_target.{p}",
            )
    last = d.last_year
    x = m.io.x
    sub = getattr(m, "substitution", None)
    blk = pe.Block()
    m.local_supporting_rate = blk
    blk.level = pe.Param(list(targets), initialize=targets, mutable=True, within=pe.UnitInterval)

    def rule(b, p):
        w = coefs["weights"][p]
        body = sum(w[j] * (coefs["local"][j] - b.level[p] * coefs["total"][j]) * x[j, last] for j in w.index[w > 0])
        if sub is not None:
            for q, row in sub.pairs.iterrows():
                if w[row["buyer"]] > 0:
                    body = body + w[row["buyer"]] * sub.extra[q, last]  # local − r·x
        return body >= 0

    blk.con = pe.Constraint(list(targets), rule=rule)
    return blk


def add_chains(m, table) -> None:
    """Add to a built plan model: import substitution, the local supporting rate and the further plan targets.

    See :func:`add_substitution`, :func:`add_local_supporting_target` and
    :func:`xn_io.optimize.targets.add_plan_targets`.
    """
    from .targets import add_plan_targets

    m.xn_chain = _rate_coefficients(table)
    add_substitution(m, table)
    add_local_supporting_target(m)
    add_plan_targets(m, table)


def plan_local_supporting_rate(m, output: pd.DataFrame, local_supply: pd.DataFrame) -> pd.DataFrame:
    """Pillar × year sector local supporting rate of a solved model (empty when the table cannot give it)."""
    return _rates(getattr(m, "xn_chain", None), output, local_supply)


def chain_summary(plan) -> str:
    """The chain-building lines of a plan's text summary: local supporting rate by pillar and year, substitution.

    Empty when the plan has neither (no pillars or imports row, no substitution).
    """
    lines = []
    rate = plan.local_supporting_rate
    if rate is not None and len(rate):
        lines.append(
            "\nLocal supporting rate, sector level (local share of each pillar's intermediate inputs; an estimate):\n"
        )
        lines.append("  " + " " * 28 + "".join(f"{y!s:>8s}" for y in rate.columns) + "\n")
        for pillar, row in rate.iterrows():
            lines.append(f"  {pillar:28s}" + "".join(f"{v:8.1%}" for v in row) + "\n")
        lines.append(
            "  (whole sectors' purchases, services and utilities included: not comparable in level with a chain\n"
            "   leader's firm-level rate, which the plan's 30 % target counts — xn_io.network.local_supporting_rate)\n"
        )
    ls = plan.local_supply
    if ls is not None and len(ls):
        s = plan.scenario
        last = ls["year"].max()
        cur = ls[ls["year"] == last].copy()
        cur["substituted"] = cur["local"] - cur["base_share"] * (cur["local"] + cur["outside"])
        by_year = (ls["local"] - ls["base_share"] * (ls["local"] + ls["outside"])).groupby(ls["year"]).sum().round(1)
        money = plan.units["money"]
        lines.append(
            f"\nImport substitution ({len(cur)} input–buyer pairs, mode {s.substitution_mode}): imports replaced by "
            f"local supply ({money}): " + ", ".join(f"{y} {v:,.1f}" for y, v in by_year.items()) + "\n"
        )
        top = cur.sort_values("substituted", ascending=False).head(10)
        for _, row in top.iterrows():
            lines.append(
                f"  {row['pair']:52s} local share {row['base_share']:6.1%} → {row['local_share']:6.1%}"
                f" (bound {row['share_max']:6.1%}), {row['substituted']:8,.1f} {money}\n"
            )
    return "".join(lines)
