"""The validation's chart and its Markdown summary (the block in benchmarks/README.md)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

__all__ = ["END", "START", "chart", "summary_markdown", "update_readme"]

START = "<!-- lq-validation:start -->"
END = "<!-- lq-validation:end -->"

_NAMES = {"slq": "SLQ", "cilq": "CILQ", "flq": "FLQ", "aflq": "AFLQ"}


def chart(doc: dict, path: Path) -> Path:
    """Three panels: Scotland's errors against δ; the provinces' best δ against size; mean error against δ."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sc, pr, rec = doc["scotland"], doc["provinces"], doc["recommendation"]
    fig, grid = plt.subplots(2, 2, figsize=(12, 9))
    axes = grid.flat
    ax = axes[0]
    for method, color in (("flq", "C0"), ("aflq", "C3")):
        g = sc["methods"][method]["grid"]
        ax.plot(g["delta"], g["mape"], "-", color=color, label=f"{_NAMES[method]}: MAPE of multipliers")
        ax.plot(g["delta"], g["mape_official"], ":", color=color, label=f"{_NAMES[method]}: vs official multipliers")
        ax.plot(
            g["delta"],
            np.array(g["u_coef"]) / 5,
            "--",
            color=color,
            alpha=0.6,
            label=f"{_NAMES[method]}: Theil's U of coefficients ÷ 5",
        )
    for method, ls in (("slq", (0, (1, 1))), ("cilq", (0, (4, 2)))):
        ax.axhline(sc["methods"][method]["mape"], color="grey", ls=ls, lw=1, label=f"{_NAMES[method]}: MAPE")
    ax.set_xlabel("δ")
    ax.set_ylabel("error [%]")
    ax.set_title(f"Scotland in the UK, 2019 (R/N = {sc['size_ratio']:.3f}, {sc['groups']} industries)", fontsize=9)
    ax.legend(fontsize=6.5)
    ax.grid(alpha=0.3)

    ax = axes[1]
    entries = pr["provinces"]
    r = np.array([e["size_ratio"] for e in entries])
    for method, color, marker in (("flq", "C0", "o"), ("aflq", "C3", "s")):
        d = [e["methods"][method]["best"]["mape"]["delta"] for e in entries]
        ax.semilogx(r, d, marker, color=color, ms=4, alpha=0.75, label=f"{_NAMES[method]}: a province's best δ")
        reg = doc["regression"][method]
        xs = np.geomspace(min(r.min(), rec["size_ratio"]) * 0.8, max(r.max(), sc["size_ratio"]) * 1.2, 50)
        ax.semilogx(
            xs,
            reg["intercept"] + reg["slope"] * np.log(xs),
            "-",
            color=color,
            lw=1,
            label=f"{_NAMES[method]}: fit, R² = {reg['r2']:.3f}",
        )
        ax.semilogx(
            [sc["size_ratio"]],
            [sc["methods"][method]["best"]["mape"]["delta"]],
            "*",
            color=color,
            ms=12,
            mec="k",
            label=f"{_NAMES[method]}: Scotland",
        )
    for e in entries:
        ax.annotate(
            e["province"],
            (e["size_ratio"], e["methods"]["aflq"]["best"]["mape"]["delta"]),
            fontsize=5,
            alpha=0.6,
            xytext=(2, 2),
            textcoords="offset points",
        )
    ax.axvline(rec["size_ratio"], color="k", lw=0.8)
    ax.fill_between(
        [rec["size_ratio"] * 0.85, rec["size_ratio"] * 1.15],
        rec["delta_low"],
        rec["delta_high"],
        color="k",
        alpha=0.15,
        label=f"Xianning: δ {rec['delta']} [{rec['delta_low']}, {rec['delta_high']}]",
    )
    ax.set_xlabel("region size R/N (share of national gross output)")
    ax.set_ylabel("δ minimising the multiplier MAPE")
    ax.set_title("31 Chinese provinces, 2017: best δ against size", fontsize=9)
    ax.legend(fontsize=6.5, loc="upper left")
    ax.grid(alpha=0.3, which="both")

    ax = axes[2]
    pooled = pr["pooled"]
    for method, color in (("flq", "C0"), ("aflq", "C3")):
        g = entries[0]["methods"][method]["grid"]["delta"]
        ax.plot(g, pooled[method]["mean_mape_by_delta"], "-", color=color, label=f"{_NAMES[method]}")
    for method, ls in (("slq", (0, (1, 1))), ("cilq", (0, (4, 2)))):
        ax.axhline(pooled[method]["mean_mape"], color="grey", ls=ls, lw=1, label=_NAMES[method])
    ax.set_xlabel("δ")
    ax.set_ylabel("mean MAPE of multipliers over 31 provinces [%]")
    ax.set_title("31 Chinese provinces, 2017: mean error against δ", fontsize=9)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)

    ax = axes[3]
    s = np.array([e["self_supply_intermediate"] for e in entries])
    for method, color, marker in (("flq", "C0", "o"), ("aflq", "C3", "s")):
        d = [e["methods"][method]["best"]["mape"]["delta"] for e in entries]
        reg = doc["openness_regression"][method]
        ax.plot(
            s,
            d,
            marker,
            color=color,
            ms=4,
            alpha=0.75,
            label=f"{_NAMES[method]} (δ on ln R/N and self-supply: R² = {reg['r2']:.2f})",
        )
    for e in entries:
        ax.annotate(
            e["province"],
            (e["self_supply_intermediate"], e["methods"]["aflq"]["best"]["mape"]["delta"]),
            fontsize=5,
            alpha=0.6,
            xytext=(2, 2),
            textcoords="offset points",
        )
    ax.set_xlabel("observed self-supply of intermediate use (1 − (imports + inflow) / use)")
    ax.set_ylabel("δ minimising the multiplier MAPE")
    ax.set_title("31 Chinese provinces, 2017: best δ against openness", fontsize=9)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _f(v, nd=1) -> str:
    return "—" if v is None else f"{v:.{nd}f}"


def summary_markdown(doc: dict, *, results_name: str, chart_name: str) -> str:
    """The README block: Scotland's table, the provinces' summary, the recommendation."""
    sc, pr, rec, regs = doc["scotland"], doc["provinces"], doc["recommendation"], doc["regression"]
    lines = [
        (
            f"Run of {doc['run']['date']}, xn_io at commit `{doc['run']['commit']}`; raw numbers in "
            f"[`results/{results_name}`](results/{results_name}), the recommendation in "
            f"[`results/lq_validation.json`](results/lq_validation.json)."
        ),
        "",
        (
            f"**Scotland in the UK, 2019** ({sc['groups']} common industries, R/N = {sc['size_ratio']:.4f}; "
            f"Scotland buys {sc['local_share_of_intermediate_inputs']:.1%} of its intermediate inputs from "
            "Scottish producers). Errors of the Type I output multipliers (MAPE, Theil's U) and of the "
            "coefficients (U), in %; FLQ and AFLQ at the δ minimising the multiplier MAPE:"
        ),
        "",
        "| method | δ | MAPE | U (multipliers) | U (coefficients) | mean % error | MAPE vs official multipliers |",
        "|---|---|---|---|---|---|---|",
    ]
    u0 = sc["national_coefficients_unscaled"]
    lines.append(
        f"| UK coefficients, unscaled | — | {_f(u0['mape'])} | {_f(u0['u_mult'])} | {_f(u0['u_coef'])} | "
        f"{_f(u0['mpe'])} | — |"
    )
    for m in ("slq", "cilq"):
        r = sc["methods"][m]
        lines.append(
            f"| {_NAMES[m]} | — | {_f(r['mape'])} | {_f(r['u_mult'])} | {_f(r['u_coef'])} | {_f(r['mpe'])} | "
            f"{_f(r['official']['mape'])} |"
        )
    for m in ("flq", "aflq"):
        b = sc["methods"][m]["best"]["mape"]
        bo = sc["methods"][m]["best"]["mape_official"]
        lines.append(
            f"| {_NAMES[m]} | {b['delta']:.2f} | {_f(b['mape'])} | {_f(b['u_mult'])} | {_f(b['u_coef'])} | "
            f"{_f(b['mpe'])} | {_f(bo['mape'])} (δ = {bo['delta']:.2f}) |"
        )
    for m in ("flq", "aflq"):
        bu = sc["methods"][m]["best"]["u_coef"]
        lines.append("")
        lines.append(f"{_NAMES[m]}: the coefficients' U is smallest at δ = {bu['delta']:.2f} ({_f(bu['u_coef'])}).")
    pooled = pr["pooled"]
    lines += [
        "",
        (
            f"**31 Chinese provinces, 2017** ({pr['sectors']} products; truth: national-domestic estimates "
            "against each province's supply-pool coefficients). Multiplier MAPE over the provinces, in %:"
        ),
        "",
        "| method | pooled δ | mean MAPE | median MAPE | best δ by province: quartiles | δ on ln(R/N): slope, R² |",
        "|---|---|---|---|---|---|",
    ]
    for m in ("slq", "cilq"):
        lines.append(f"| {_NAMES[m]} | — | {_f(pooled[m]['mean_mape'])} | {_f(pooled[m]['median_mape'])} | — | — |")
    for m in ("flq", "aflq"):
        q = regs[m]["best_delta_quartiles"]
        lines.append(
            f"| {_NAMES[m]} | {pooled[m]['delta']:.2f} | {_f(pooled[m]['mean_mape'])} | "
            f"{_f(pooled[m]['median_mape'])} | {q[0]:.2f} / {q[1]:.2f} / {q[2]:.2f} | "
            f"{regs[m]['slope']:+.3f}, {regs[m]['r2']:.3f} (p = {regs[m]['p_value']:.2f}) |"
        )
    lines.append("")
    for m in ("flq", "aflq"):
        o = doc["openness_regression"][m]
        c, se = o["coef"], o["se"]
        lines.append(
            f"{_NAMES[m]}: best δ = {c['intercept']:.3f} {c['ln_size_ratio']:+.3f} (± {se['ln_size_ratio']:.3f}) "
            f"ln(R/N) {c['self_supply']:+.3f} (± {se['self_supply']:.3f}) × self-supply, R² = {o['r2']:.2f}: "
            "the more a province buys from outside, the larger its δ; at equal openness δ rises with size."
        )
        lines.append("")
    lines += [
        "| province | R/N | self-supply of intermediate use | SLQ | CILQ | FLQ best δ | FLQ MAPE | AFLQ best δ | AFLQ MAPE |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for e in sorted(pr["provinces"], key=lambda e: e["size_ratio"]):
        f, a = e["methods"]["flq"]["best"]["mape"], e["methods"]["aflq"]["best"]["mape"]
        lines.append(
            f"| {e['province']} | {e['size_ratio']:.4f} | {e['self_supply_intermediate']:.2f} | "
            f"{_f(e['methods']['slq']['mape'])} | {_f(e['methods']['cilq']['mape'])} | {f['delta']:.2f} | "
            f"{_f(f['mape'])} | {a['delta']:.2f} | {_f(a['mape'])} |"
        )
    alt = doc["provinces_total_use"]
    lines += [
        "",
        "Sensitivity — self-supply over *total* use (exports and outflow drawn from the same pool, "
        "re-exports proportional) instead of own use: "
        + "; ".join(
            f"{_NAMES[m]} pooled δ {alt['pooled'][m]['delta']:.2f}, mean MAPE {alt['pooled'][m]['mean_mape']:.1f}, "
            f"best δ quartiles {' / '.join(f'{q:.2f}' for q in alt['regression'][m]['best_delta_quartiles'])}"
            for m in ("flq", "aflq")
        )
        + ".",
    ]
    lines += [
        "",
        f"**For Xianning** (R/N = {rec['size_ratio']:.4f}, {rec['size_measure']}): "
        f"`{rec['recommended_method']}` with δ = {rec['delta']:.2f}, range [{rec['delta_low']:.2f}, "
        f"{rec['delta_high']:.2f}] ({rec['interval']}); λ* = {rec['lambda']:.3f} "
        f"(range {rec['lambda_range'][0]:.3f}–{rec['lambda_range'][1]:.3f}). With the openness model, a region "
        "of that size whose self-supply of intermediate use were "
        + ", ".join(f"{k} → δ {v:.2f}" for k, v in doc["xianning_by_self_supply"][rec["recommended_method"]].items())
        + f". With self-supply over total use the size line gives δ = {rec['delta_if_self_supply_over_total_use']:.2f}.",
        "",
        f"![errors against δ, best δ against size]({chart_name})",
    ]
    return "\n".join(lines) + "\n"


def update_readme(readme: Path, block: str) -> None:
    """Replace the text between :data:`START` and :data:`END` (append a section if there is none)."""
    text = readme.read_text(encoding="utf-8")
    body = f"{START}\n{block}{END}"
    if START in text and END in text:
        text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: body, text, flags=re.DOTALL)
    else:
        text = text.rstrip("\n") + "\n\n## Location quotients on real regional data\n\n" + body + "\n"
    readme.write_text(text, encoding="utf-8")
