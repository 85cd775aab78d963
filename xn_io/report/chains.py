"""Report sections of the supply-chain analysis: pillar chains, gaps, and chain leaders' local supporting rate.

Builds on :mod:`xn_io.network`. Sector-level results come from the table (and
carry its status: an estimated table gives estimated chains); firm-level
results come from a firm network whose ``metadata["status"]`` says whether it
is the user's own data or the shipped *illustrative* network, and every
firm-level table and drawing is labelled with that status.
"""

from __future__ import annotations

import pandas as pd

from ..table import IOTable
from .charts import chart_fonts, english_unit
from .document import Report, figure_png
from .fonts import FontChoice, find_cjk_font
from .plan_report import ChainDrawing

__all__ = ["chain_drawings", "chains_report", "firm_status_note"]


def _table_status(table: IOTable) -> str:
    status = str(table.metadata.get("default_status", "")).strip()
    return status.upper() if status in ("estimate", "illustrative", "mixed") else ""


def chain_drawings(
    table: IOTable,
    *,
    lang: str = "en",
    font: FontChoice | None = None,
    threshold: float = 0.02,
) -> tuple[list[ChainDrawing], str]:
    """Draw each pillar's industrial chain of ``table``.

    Parameters
    ----------
    table : IOTable
        A table with a pillar mapping.
    lang : {"en", "zh"}
        Node labels in English or, when a CJK font is found, Chinese.
    font : FontChoice, optional
    threshold : float
        Coefficient threshold of the chain links (see :func:`xn_io.network.pillar_chain`).

    Returns
    -------
    drawings : list of ChainDrawing
        One per pillar (none when the table has no pillars).
    note : str
        What the drawings show and the status of their figures.
    """
    from ..network import draw_chain, pillar_chains, sector_graph

    if table.pillars.empty:
        return [], ""
    if lang == "zh" and font is None:
        font = find_cjk_font()
    label = "name_zh" if lang == "zh" and font is not None and font.available and "name_zh" in table.sector_info else "name_en"
    graph = sector_graph(table)
    status = _table_status(table)
    drawings = []
    for pillar, chain in pillar_chains(graph, threshold=threshold).items():
        chain.graph["unit"] = english_unit(str(chain.graph.get("unit", table.unit)))  # no CJK in the legend
        with chart_fonts(font):
            fig = draw_chain(chain, title=f"{pillar} chain", label=label, status=status)
            png = figure_png(fig)
        name = "chain_" + "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in pillar)
        drawings.append(ChainDrawing(name, f"Chain of {pillar}", png,
                                     f"{chain.number_of_nodes()} sectors; links with coefficient ≥ {threshold:g}."))
    note = (
        f"Chains are drawn from the input-output table {table.name!r}"
        + (f" (its figures are {table.metadata.get('default_status')})" if table.metadata.get("default_status") else "")
        + ": sectors sized by output, links by flow, inputs bought outside the region dashed red."
    )
    if label == "name_en" and lang == "zh":
        note += " " + (font.note if font is not None else "")
    return drawings, note


def firm_status_note(metadata: dict) -> str:
    """One sentence on where firm data come from, in capitals when they are illustrative.

    Examples
    --------
    >>> firm_status_note({"name": "xianning-illustrative", "status": "illustrative"})[:30]
    'ILLUSTRATIVE firm data (xianni'
    >>> firm_status_note({"name": "survey-2025", "status": "survey of 120 firms, 2025"})
    "Firm data 'survey-2025': survey of 120 firms, 2025."
    """
    status = str(metadata.get("status", "")).lower()
    name = metadata.get("name", "firm network")
    if status == "illustrative":
        return (f"ILLUSTRATIVE firm data ({name}): the chain leaders are those named in the plan, but their suppliers, "
                "links and values are generated to agree with the table's sector flows — not survey data. "
                "Replace them with your own firm files (--firms DIR).")
    if status:
        return f"Firm data {name!r}: {status}."
    return f"Firm data {name!r}: supplied by the user; their status is not stated."


def chains_report(
    table: IOTable,
    firm_data=None,
    *,
    lang: str = "en",
    font: FontChoice | None = None,
    threshold: float = 0.02,
    top: int = 10,
) -> Report:
    """Pillar chains and their gaps; with firm data, chain leaders' local supporting rates.

    Parameters
    ----------
    table : IOTable
    firm_data : xn_io.network.FirmData, optional
        A firm network (e.g. :func:`xn_io.network.load_firms`).
    lang : {"en", "zh"}
    font : FontChoice, optional
    threshold : float
        Chain-link threshold.
    top : int
        Gaps shown per pillar.

    Returns
    -------
    Report
    """
    from ..network import central_sectors, chain_gaps, firm_graph, local_supporting_rate, sector_graph

    r = Report(f"Industrial chains of {table.name or 'the table'}")
    graph = sector_graph(table)
    keys = central_sectors(graph).head(top)
    r.heading("Key sectors")
    r.paragraph("Sectors ranked by PageRank on the reversed flow graph: the suppliers that feed important buyers.")
    r.table("key_sectors", keys, title="Key sectors", digits=3)
    if not table.pillars.empty and len(table.M):
        r.heading("Gaps: inputs each pillar buys mostly outside the region")
        r.paragraph("Candidates for 补链 (filling chain gaps), with the gain in regional output and value added if 30% "
                    "of each product's imports were supplied locally (Leontief model). Estimates.")
        frames = []
        for pillar in dict.fromkeys(table.pillars["pillar"]):
            g = chain_gaps(table, pillar, top=top)
            if len(g):
                frames.append(g.assign(pillar=pillar).reset_index())
        if frames:
            gaps = pd.concat(frames, ignore_index=True).set_index(["pillar", frames[0].columns[0]])
            r.table("chain_gaps", gaps, title="Chain gaps by pillar", digits=2)
    drawings, note = chain_drawings(table, lang=lang, font=font, threshold=threshold)
    if drawings:
        r.heading("Chain drawings")
        r.note(note)
        for d in drawings:
            r.figure(d.name, d.png, title=d.title, caption=d.caption)
    if firm_data is not None:
        r.heading("Chain leaders: local supporting rate (本地化配套率)")
        r.note(firm_status_note(firm_data.metadata))
        rates = local_supporting_rate(firm_graph(firm_data.firms, firm_data.links))
        r.paragraph(f"{int(rates['meets_target'].sum())} of {len(rates)} chain leaders meet the target of "
                    f"{rates['target'].iloc[0]:.0%} (local share of their direct purchases and sales).")
        r.table("local_supporting_rate", rates, title="Local supporting rate by chain leader", digits=3)
    return r
