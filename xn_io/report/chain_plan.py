"""Report section of chain building in a plan: local supporting rate by year, import substitution and its effects.

Combines the plan model (:mod:`xn_io.optimize.substitution`: the sector-level
local supporting rate and the substituted pairs of a :class:`~xn_io.optimize.Plan`)
with the firm level (:func:`xn_io.network.local_supporting_rate` on a firm
network, labelled with the network's status), and says how the two relate.
"""

from __future__ import annotations

import pandas as pd

from .document import Report

__all__ = ["chain_building_section", "RATE_RELATION"]

RATE_RELATION = (
    "How the two rates relate: the sector rate is the local share of *all* intermediate inputs of the pillar's "
    "sectors (electricity, transport, trade and other services included, which are mostly bought locally), over "
    "whole sectors; the plan's 本地化配套率 (30 % by 2030, targets.csv chain_leader_local_supply) is a chain "
    "leader's local share of its directly linked purchases and sales. On survey data the sector rate is expected "
    "to be the higher, and the two are not comparable in level: a sector rate above 30 % does not mean the plan's "
    "target is met. The shipped ILLUSTRATIVE firm network is generated from the table's own purchase shares, so "
    "there the two are close by construction and say nothing about the target. The sector rate's change over the "
    "plan is the signal: it rises only when a pillar buys more of its inputs locally."
)


def chain_building_section(
    plan,
    *,
    firm_data=None,
    effects: pd.DataFrame | None = None,
    pillar_name=lambda p: p,
) -> Report:
    """The section "Chain building": local supporting rate by pillar and year, firm-level rates, substitution.

    Parameters
    ----------
    plan : xn_io.optimize.Plan
    firm_data : xn_io.network.FirmData, optional
        A firm network: its chain leaders' local supporting rates are shown beside the sector rates.
    effects : pandas.DataFrame, optional
        From :func:`xn_io.optimize.substitution_effects`: what substitution brings, by year.
    pillar_name : callable
        Display name of a pillar.

    Returns
    -------
    Report
        Empty (no blocks) when the plan has no local supporting rate and no substitution.
    """
    r = Report("Chain building (补链): local supply and the local supporting rate")
    rate = plan.local_supporting_rate
    ls = plan.local_supply
    if (rate is None or rate.empty) and (ls is None or ls.empty):
        return r
    money = plan.units["money"]
    if rate is not None and len(rate):
        shown = (100 * rate).round(1)
        shown.index = pd.Index([pillar_name(p) for p in shown.index], name="pillar")
        shown.columns = [str(c) for c in shown.columns]
        r.paragraph(
            "Sector-level local supporting rate: the local share of each pillar's intermediate inputs, by year "
            "(%; base year from the table, later years model results; imports by buyer from the table's imports row)."
        )
        r.table("local_supporting_rate_sector", shown, title="Local supporting rate by pillar and year (%)", digits=1)
    if firm_data is not None:
        from ..network import firm_graph, local_supporting_rate

        firms = local_supporting_rate(firm_graph(firm_data.firms, firm_data.links))
        table = firm_data.firms
        table = table.set_index("id") if "id" in table.columns else table
        pillars = table["pillar"] if "pillar" in table.columns else None
        if pillars is not None:
            firms.insert(1, "pillar", [pillar_name(pillars.get(f, "")) for f in firms.index])
        status = str(firm_data.metadata.get("status", "")).upper() or "AS GIVEN"
        r.paragraph(
            f"Firm-level local supporting rate of the chain leaders ({status} firm data): local share of each "
            f"leader's direct purchases and sales; {int(firms['meets_target'].sum())} of {len(firms)} meet 30 %."
        )
        cols = [c for c in ("name", "pillar", "upstream", "downstream", "both", "meets_target") if c in firms.columns]
        r.table("local_supporting_rate_firms", firms[cols], title="Local supporting rate by chain leader", digits=3)
    r.paragraph(RATE_RELATION)
    if ls is not None and len(ls):
        s = plan.scenario
        frame = ls.assign(substituted=ls["local"] - ls["base_share"] * (ls["local"] + ls["outside"]))
        by_year = frame.pivot_table(index="pair", columns="year", values="local_share", aggfunc="sum")
        base = frame.groupby("pair")["base_share"].first()
        shares = (100 * by_year).round(1)
        shares.insert(0, "base", (100 * base.reindex(shares.index)).round(1))
        last = frame["year"].max()
        order = frame[frame["year"] == last].set_index("pair")["substituted"].sort_values(ascending=False).index
        shares = shares.reindex(order)
        shares.columns = [str(c) for c in shares.columns]
        total = frame.groupby("year")["substituted"].sum()
        r.paragraph(
            f"Import substitution ({len(order)} input–buyer pairs, mode '{s.substitution_mode}'): imports replaced by "
            f"local supply ({money}): " + ", ".join(f"{y} {v:,.1f}" for y, v in total.items()) + ". "
            "The local share of each pair by year (% of the input bought locally) is below; its bound is a scenario "
            "assumption (a share of the base-year gap closed per year)."
        )
        r.table(
            "local_supply", shares, title="Local share of each substituted input by year (%)", digits=1, max_rows=20
        )
    if effects is not None and len(effects):
        eff = effects["effect"].copy()
        eff.index = [str(i) for i in eff.index]
        eff = eff.rename(
            columns={
                "gdp": f"GDP ({money})",
                "investment": f"investment ({money})",
                "employment": f"employment ({plan.units['employment']})",
                "co2": f"CO2 ({plan.units['co2']})",
            }
        )
        r.paragraph(
            "What the substitution brings: the plan solved again without it, all else equal; differences by year."
        )
        r.table("substitution_effects", eff.rename_axis("year"), title="Effect of import substitution", digits=2)
    return r
