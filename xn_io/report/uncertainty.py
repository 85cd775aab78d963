"""Charts of a Monte Carlo run (:func:`xn_io.optimize.monte_carlo`): GDP and CO2 fans, investment boxes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .charts import english_unit

if TYPE_CHECKING:
    from ..optimize.uncertainty import MonteCarloResult

__all__ = ["plot_monte_carlo"]


def plot_monte_carlo(result: MonteCarloResult, *, top: int = 12, threshold: float = 1.0):
    """Fan charts of GDP and CO2 and a box chart of investment by sector, as a matplotlib Figure.

    The figure is built without pyplot (no display needed; safe under the Agg backend).

    Parameters
    ----------
    result : MonteCarloResult
    top : int
        Sectors shown in the box chart (largest median investment first).
    threshold : float
        Investment (in the table's money unit) above which a sector counts as invested in.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(13, 4.2), layout="constrained")
    axes = fig.subplots(1, 3, width_ratios=[1, 1, 1.3])
    s = result.scenario
    # the table's units, in English: the default fonts have no CJK glyphs
    money, co2 = english_unit(result.units["money"]), english_unit(result.units["co2"])
    for ax, quantity, unit, title in ((axes[0], "gdp", money, "GDP"), (axes[1], "co2", co2, "CO2")):
        f = result.fan(quantity)
        years = f.index.to_numpy()
        ax.fill_between(years, f["q05"], f["q95"], alpha=0.2, color="C0", label="5–95 %")
        ax.fill_between(years, f["q25"], f["q75"], alpha=0.35, color="C0", label="25–75 %")
        ax.plot(years, f["q50"], color="C0", label="median")
        if quantity == "gdp" and s.family_on("gdp_target"):
            target = s.gdp_target / (1 + s.price_growth) ** (s.last_year - s.first_year + 1)  # at base-year prices
            ax.axhline(target, color="C3", ls="--", lw=1, label=f"target {target:,.0f}")
        ax.set_title(f"{title} ({unit}), {len(result.solved)} solved draws")
        ax.set_xticks(years)
        ax.legend(fontsize=8, loc="upper left")
    robust = result.robust_investment(threshold=threshold)
    names = list(robust.sort_values("median", ascending=False).index[:top])
    inv = result.investment.loc[result.solved, names]
    ax = axes[2]
    if len(inv):
        import inspect

        horizontal = (
            {"orientation": "horizontal"}
            if "orientation" in inspect.signature(ax.boxplot).parameters
            else {"vert": False}
        )  # matplotlib ≥ 3.10 / older
        ax.boxplot([inv[c].to_numpy() for c in names], showfliers=False, **horizontal)
        ax.set_yticks(
            range(1, len(names) + 1),
            [f"{c} ({100 * robust.loc[c, 'share_invested']:.0f} %)" for c in names],
            fontsize=8,
        )
        ax.invert_yaxis()
    ax.set_xlabel(f"cumulative investment, {money}")
    ax.set_title(f"Investment by sector (share of draws > {threshold:g})")
    fig.suptitle(f"Monte Carlo of '{s.name}'")
    return fig
