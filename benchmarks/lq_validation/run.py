"""The validation run: Scotland within the UK (2019) and the 31 Chinese provinces (2017).

:func:`scotland` and :func:`provinces` score SLQ, CILQ, FLQ and AFLQ (the last
two over the δ grid of :data:`~benchmarks.lq_validation.core.DELTAS`);
:func:`size_regression` relates each province's best δ to its size;
:func:`recommend` turns the evidence into the method, δ and δ range for a
region of Xianning's size; :func:`run` does it all and returns one
JSON-serialisable dict.

Recommendation rule (fixed before looking at the numbers it produces):

* **method** — of FLQ and AFLQ, the one with the lower mean multiplier MAPE
  over the 31 provinces, each at its pooled δ (the δ minimising that mean);
* **delta** — the least-squares line of the provinces' best δ (by multiplier
  MAPE) on ln(R/N), evaluated at Xianning's R/N, clipped to the grid [0, 0.95];
* **delta_low, delta_high** — the 80 % prediction interval of that line at
  Xianning's R/N (where the best δ of a new region of that size is expected
  to fall four times in five), clipped likewise.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from xn_io import regional

from . import core, data

__all__ = [
    "PI_LEVEL",
    "openness_regression",
    "provinces",
    "recommend",
    "run",
    "scotland",
    "size_regression",
    "xianning_size",
]

PI_LEVEL = 0.80
MEASURES = ("mape", "u_mult", "u_coef", "mpe")


def _grid(rows: list[dict], method: str, keys=MEASURES) -> dict:
    cand = [r for r in rows if r["method"] == method]
    out = {"delta": [r["delta"] for r in cand]}
    for k in keys:
        out[k] = [r[k] for r in cand]
    return out


def _plain(r: dict) -> dict:
    return {k: r[k] for k in ("delta", *MEASURES) if k in r}


def scotland(*, deltas=core.DELTAS, folder=data.DATA) -> dict:
    """Regionalise the UK 2019 domestic coefficients to Scotland and score every method.

    Scored twice: against the multipliers of Scotland's true (Scottish-produced)
    coefficients on the 94 common groups, and against the official Type I
    multipliers (output-weighted within the three merged groups).
    """
    s = data.scotland_uk(folder)
    A_uk = core.coefficients(s.Z_uk, s.x_uk)
    R_true = core.coefficients(s.Z_scotland, s.x_scotland)
    ratio = float(s.x_scotland.sum() / s.x_uk.sum())
    keep = s.x_scotland > 0
    rows = core.evaluate(A_uk, R_true, s.x_scotland, s.x_uk, size_ratio=ratio, deltas=deltas, keep=keep)
    off = core.evaluate(
        A_uk, R_true, s.x_scotland, s.x_uk, size_ratio=ratio, deltas=deltas, keep=keep, m_true=s.official_multipliers
    )
    m_true = core.multipliers(R_true)
    out = {
        "region": "Scotland",
        "nation": "United Kingdom",
        "year": 2019,
        "unit": "£ million",
        "groups": len(s.groups),
        "size_ratio": ratio,
        "local_share_of_intermediate_inputs": float(
            s.Z_scotland.sum() / (s.Z_scotland.sum() + s.imports_ruk.sum() + s.imports_row.sum())
        ),
        "local_share_of_domestic_intermediate_inputs": float(
            s.Z_scotland.sum() / (s.Z_scotland.sum() + s.imports_ruk.sum())
        ),
        "true_vs_official_multipliers_mape_single_groups": core.mape(
            m_true[keep & s.single], s.official_multipliers[keep & s.single]
        ),
        "national_coefficients_unscaled": core.scores(A_uk, R_true, keep),
        "methods": {},
    }
    for method in ("slq", "cilq"):
        r = next(x for x in rows if x["method"] == method)
        o = next(x for x in off if x["method"] == method)
        out["methods"][method] = {**_plain(r), "official": _plain(o)}
    for method in ("flq", "aflq"):
        g = _grid(rows, method)
        g["mape_official"] = _grid(off, method, ("mape",))["mape"]
        g["u_mult_official"] = _grid(off, method, ("u_mult",))["u_mult"]
        best = {crit: _plain(core.best_delta(rows, method, crit)) for crit in ("mape", "u_mult", "u_coef")}
        best["mape_official"] = _plain(core.best_delta(off, method, "mape"))
        out["methods"][method] = {"grid": g, "best": best}
    return out


def _national_domestic_share(P: data.Provinces, folder) -> np.ndarray:
    import pandas as pd

    nat = pd.read_csv(folder / "china_2017_national_42.csv", index_col=0, dtype={"code": str})
    dom = P.Z_national_domestic.sum(axis=1)
    imp = nat["intermediate_imports_of_product"].to_numpy(dtype=float)
    return np.divide(dom, dom + imp, out=np.ones_like(dom), where=dom + imp > 0)


def provinces(*, deltas=core.DELTAS, folder=data.DATA, only: list[str] | None = None, use: str = "own") -> dict:
    """Score every method on each province's supply-pool coefficients (see :func:`core.supply_pool`).

    Two estimates per province: from the national domestic coefficients (the
    test of the method, technology included), and from the province's own
    technology with the national domestic share of each product (the trade
    share alone). R/N is the province's share of the 31 provinces' gross output.
    ``use`` is the denominator of the self-supply ratio (see :func:`core.supply_pool`).
    """
    P = data.provinces(folder, only=only)
    full = data.provinces(folder, verify=False) if only is not None else P
    A_nat = core.coefficients(P.Z_national_domestic, P.x_national)
    d = _national_domestic_share(P, folder)
    total = float(full.columns["GO"].sum())
    out = []
    for k, name in enumerate(P.names):
        x = P.columns["GO"][k]
        R, s, clipped = core.supply_pool(P.Z[k], P.columns, k, use=use)
        ratio = float(x.sum() / total)
        keep = x > 0
        rows = core.evaluate(A_nat, R, x, P.x_national, size_ratio=ratio, deltas=deltas, keep=keep)
        A_own = d[:, None] * core.coefficients(P.Z[k], x)
        own = core.evaluate(A_own, R, x, P.x_national, size_ratio=ratio, deltas=deltas, keep=keep)
        tiu = P.columns["TIU"][k]
        entry = {
            "province": name,
            "size_ratio": ratio,
            "size_ratio_national_table": float(x.sum() / P.x_national.sum()),
            "sectors": int(keep.sum()),
            "self_supply_clipped": clipped,
            "self_supply_intermediate": float((s * tiu).sum() / tiu.sum()),
            "methods": {},
            "own_technology": {},
        }
        for method in ("slq", "cilq"):
            entry["methods"][method] = _plain(next(r for r in rows if r["method"] == method))
            entry["own_technology"][method] = _plain(next(r for r in own if r["method"] == method))
        for method in ("flq", "aflq"):
            entry["methods"][method] = {
                "best": {crit: _plain(core.best_delta(rows, method, crit)) for crit in ("mape", "u_coef")},
                "grid": _grid(rows, method, ("mape", "u_coef")),
            }
            entry["own_technology"][method] = {"best": {"mape": _plain(core.best_delta(own, method, "mape"))}}
        out.append(entry)
    return {
        "year": 2017,
        "unit": "万元",
        "sectors": len(P.codes),
        "self_supply_denominator": use,
        "provinces": out,
        "pooled": _pooled(out),
    }


def _pooled(entries: list[dict]) -> dict:
    """Mean and median MAPE across provinces: SLQ, CILQ; FLQ and AFLQ at the δ minimising the mean."""
    out = {}
    for method in ("slq", "cilq"):
        v = np.array([e["methods"][method]["mape"] for e in entries])
        out[method] = {"mean_mape": float(v.mean()), "median_mape": float(np.median(v))}
    for method in ("flq", "aflq"):
        grid = np.array([e["methods"][method]["grid"]["mape"] for e in entries])
        deltas = entries[0]["methods"][method]["grid"]["delta"]
        mean = grid.mean(axis=0)
        j = int(np.argmin(mean))
        out[method] = {
            "delta": deltas[j],
            "mean_mape": float(mean[j]),
            "median_mape": float(np.median(grid[:, j])),
            "mean_mape_by_delta": [float(v) for v in mean],
            "mean_mape_at_own_best": float(np.mean([e["methods"][method]["best"]["mape"]["mape"] for e in entries])),
        }
    own = {}
    for method in ("slq", "cilq"):
        own[method] = {"mean_mape": float(np.mean([e["own_technology"][method]["mape"] for e in entries]))}
    for method in ("flq", "aflq"):
        best = [e["own_technology"][method]["best"]["mape"] for e in entries]
        own[method] = {
            "mean_mape_at_own_best": float(np.mean([b["mape"] for b in best])),
            "best_delta_quartiles": [float(q) for q in np.percentile([b["delta"] for b in best], [25, 50, 75])],
        }
    out["own_technology"] = own
    return out


def size_regression(entries: list[dict], method: str, at: dict[str, float], *, level: float = PI_LEVEL) -> dict:
    """OLS of the provinces' best δ (by multiplier MAPE) on ln(R/N), with prediction intervals at ``at``."""
    x = np.log([e["size_ratio"] for e in entries])
    y = np.array([e["methods"][method]["best"]["mape"]["delta"] for e in entries])
    n = x.size
    res = stats.linregress(x, y)
    resid = y - (res.intercept + res.slope * x)
    s = float(np.sqrt(resid @ resid / (n - 2)))
    sxx = float(((x - x.mean()) ** 2).sum())
    t = float(stats.t.ppf(0.5 + level / 2, n - 2))
    pred = {}
    for key, ratio in at.items():
        x0 = float(np.log(ratio))
        fit = float(res.intercept + res.slope * x0)
        half = t * s * float(np.sqrt(1 + 1 / n + (x0 - x.mean()) ** 2 / sxx))
        pred[key] = {"size_ratio": ratio, "fit": fit, "low": fit - half, "high": fit + half}
    return {
        "method": method,
        "n": n,
        "slope": float(res.slope),
        "intercept": float(res.intercept),
        "r2": float(res.rvalue**2),
        "p_value": float(res.pvalue),
        "residual_sd": s,
        "level": level,
        "prediction": pred,
        "best_delta_quartiles": [float(q) for q in np.percentile(y, [25, 50, 75])],
    }


def openness_regression(entries: list[dict], method: str) -> dict:
    """OLS of the provinces' best δ on ln(R/N) and the observed self-supply of intermediate use.

    Flegg & Tohmo (2013) explain δ by size and by the region's propensity to
    import; here the self-supply share plays the second part. Coefficients,
    their standard errors and R².
    """
    y = np.array([e["methods"][method]["best"]["mape"]["delta"] for e in entries])
    X = np.column_stack(
        [np.ones(y.size), np.log([e["size_ratio"] for e in entries]), [e["self_supply_intermediate"] for e in entries]]
    )
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    dof = y.size - X.shape[1]
    cov = (resid @ resid / dof) * np.linalg.inv(X.T @ X) if dof > 0 else np.full((3, 3), np.nan)
    r2 = 1 - (resid @ resid) / (((y - y.mean()) ** 2).sum())
    names = ("intercept", "ln_size_ratio", "self_supply")
    return {
        "method": method,
        "n": int(y.size),
        "r2": float(r2),
        "coef": {k: float(b) for k, b in zip(names, beta)},
        "se": {k: float(v) for k, v in zip(names, np.sqrt(np.diag(cov)))},
    }


def xianning_size() -> dict:
    """Xianning's size relative to China from the shipped tables (gross output and GDP ratios).

    ``xianning-2025`` (2025, estimated) against ``china-2020`` (2020, official):
    the years differ, so both ratios overstate the 2025 share by China's
    nominal growth 2020–2025; they are the region-size figures a user of the
    shipped tables would compute.
    """
    import xn_io

    xn, cn = xn_io.load_table("xianning-2025"), xn_io.load_table("china-2020")
    return {
        "gross_output_ratio": float(xn.x.sum() / cn.x.sum()),
        "gdp_ratio": float(xn.V.to_numpy().sum() / cn.V.to_numpy().sum()),
        "xianning_gross_output": float(xn.x.sum()),
        "china_2020_gross_output": float(cn.x.sum()),
        "unit": "亿元",
        "tables": ["xianning-2025 (estimate)", "china-2020 (official)"],
    }


def recommend(prov: dict, regressions: dict, size: dict) -> dict:
    """Apply the module's recommendation rule; returns the keys the table build reads."""
    pooled = prov["pooled"]
    method = min(("flq", "aflq"), key=lambda m: pooled[m]["mean_mape"])
    p = regressions[method]["prediction"]["gross_output_ratio"]
    lo, hi = float(core.DELTAS[0]), float(core.DELTAS[-1])

    def clip(v):
        return round(min(max(v, lo), hi), 2)

    delta, low, high = clip(p["fit"]), clip(p["low"]), clip(p["high"])
    ratio = size["gross_output_ratio"]
    return {
        "recommended_method": method,
        "delta": delta,
        "delta_low": low,
        "delta_high": high,
        "size_ratio": ratio,
        "size_measure": "gross output, xianning-2025 / china-2020",
        "lambda": regional.flq_lambda(ratio, delta=delta),
        "lambda_range": [regional.flq_lambda(ratio, delta=high), regional.flq_lambda(ratio, delta=low)],
        "interval": f"{int(PI_LEVEL * 100)}% prediction interval of the provinces' best δ on ln(R/N)",
        "status": "estimate (from official tables of Scotland/UK 2019 and 31 Chinese provinces 2017)",
    }


def run(*, deltas=core.DELTAS, folder=data.DATA, only: list[str] | None = None) -> dict:
    """The whole validation; ``only`` restricts the provinces (a test slice)."""
    sc = scotland(deltas=deltas, folder=folder)
    pr = provinces(deltas=deltas, folder=folder, only=only)
    size = xianning_size()
    at = {
        "gross_output_ratio": size["gross_output_ratio"],
        "gdp_ratio": size["gdp_ratio"],
        "scotland": sc["size_ratio"],
    }
    regs = {m: size_regression(pr["provinces"], m, at) for m in ("flq", "aflq")}
    opens = {m: openness_regression(pr["provinces"], m) for m in ("flq", "aflq")}
    # sensitivity: self-supply over total use (exports and outflow included), grids left out
    alt = provinces(deltas=deltas, folder=folder, only=only, use="total")
    for e in alt["provinces"]:
        for m in ("flq", "aflq"):
            del e["methods"][m]["grid"]
    alt["regression"] = {m: size_regression(alt["provinces"], m, at) for m in ("flq", "aflq")}
    by_supply = {
        m: {
            f"{v:.1f}": float(
                o["coef"]["intercept"]
                + o["coef"]["ln_size_ratio"] * np.log(size["gross_output_ratio"])
                + o["coef"]["self_supply"] * v
            )
            for v in (0.3, 0.4, 0.5, 0.6, 0.7)
        }
        for m, o in opens.items()
    }
    rec = recommend(pr, regs, size)
    alt_fit = alt["regression"][rec["recommended_method"]]["prediction"]["gross_output_ratio"]["fit"]
    rec["delta_if_self_supply_over_total_use"] = round(min(max(alt_fit, float(deltas[0])), float(deltas[-1])), 2)
    return {
        "scotland": sc,
        "provinces": pr,
        "regression": regs,
        "openness_regression": opens,
        "provinces_total_use": alt,
        "xianning": size,
        "xianning_by_self_supply": by_supply,
        "recommendation": rec,
    }
