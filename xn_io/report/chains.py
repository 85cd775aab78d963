"""Report sections of the supply-chain analysis: pillar chains, gaps, and chain leaders' local supporting rate.

Builds on :mod:`xn_io.network`. Sector-level results come from the table (and
carry its status: an estimated table gives estimated chains); firm-level
results come from a firm network whose ``metadata["status"]`` says whether it
is the user's own data or the shipped *illustrative* network, and every
firm-level table and drawing is labelled with that status.
"""

from __future__ import annotations

from ..table import IOTable
from .charts import chart_fonts, english_unit
from .document import Report, figure_png
from .fonts import FontChoice, find_cjk_font
from .plan_report import ChainDrawing

__all__ = ["chain_drawings", "chains_report", "firm_status_note", "gaps_file"]


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
    label = (
        "name_zh"
        if lang == "zh" and font is not None and font.available and "name_zh" in table.sector_info
        else "name_en"
    )
    from .glossary import Names

    names = Names.for_table(table, lang)
    graph = sector_graph(table)
    status = _table_status(table)
    drawings = []
    for pillar, chain in pillar_chains(graph, threshold=threshold).items():
        chain.graph["unit"] = english_unit(str(chain.graph.get("unit", table.unit)))  # no CJK in the legend
        with chart_fonts(font):
            fig = draw_chain(chain, title=f"{names.pillar(pillar)} chain", label=label, status=status)
            png = figure_png(fig)
        name = "chain_" + "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in pillar)
        drawings.append(
            ChainDrawing(
                name,
                f"Chain of {names.pillar(pillar)}",
                png,
                f"{chain.number_of_nodes()} sectors; links with coefficient ≥ {threshold:g}.",
            )
        )
    note = (
        f"Chains are drawn from the input-output table {table.name!r}"
        + (
            {"estimate": " (its figures are estimates)", "": ""}.get(
                str(table.metadata.get("default_status", "")),
                f" (status of its figures: {table.metadata.get('default_status')})",
            )
        )
        + ": sectors sized by output, links by flow, inputs bought outside the region dashed red."
    )
    if label == "name_en" and lang == "zh":
        note += " " + (font.note if font is not None else "")
    return drawings, note


def gaps_file(pillar: str) -> str:
    """The name of a pillar's gap table in a chains report (``chain_gaps_<pillar>``, its CSV file stem).

    Examples
    --------
    >>> gaps_file("green_new_materials")
    'chain_gaps_green_new_materials'
    """
    return "chain_gaps_" + "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in pillar)


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
        return (
            f"ILLUSTRATIVE firm data ({name}): the chain leaders are those named in the plan, but their suppliers, "
            "links and values are generated to agree with the table's sector flows — not survey data. "
            "Replace them with your own firm files (--firms DIR)."
        )
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
    from ..network import (
        GAP_MEASURE,
        central_sectors,
        chain_gaps,
        firm_graph,
        gap_imports,
        local_supporting_rate,
        sector_graph,
    )
    from .glossary import Names

    names = Names.for_table(table, lang)
    r = Report(f"Industrial chains of {table.name or 'the table'}", lang=lang)
    graph = sector_graph(table)
    keys = central_sectors(graph)
    keys.insert(0, "name", [names.sector(i) for i in keys.index])
    keys.insert(0, "rank", range(1, len(keys) + 1))
    r.heading("Key sectors")
    r.paragraph("Sectors ranked by PageRank on the reversed flow graph: the suppliers that feed important buyers.")
    r.table("key_sectors", keys, title="Key sectors", digits=3, max_rows=top)
    if not table.pillars.empty and len(table.M):
        imports = gap_imports(table)
        r.heading("Gaps: inputs each pillar buys mostly outside the region")
        r.paragraph(
            GAP_MEASURE.format(method=imports.attrs.get("method", "")) + " Candidates for 补链 (filling chain "
            f"gaps), with the gain in regional output and value added ({table.unit}) if 30% of each input's "
            "imports were supplied locally (Leontief model). Estimates."
        )
        for pillar in dict.fromkeys(table.pillars["pillar"]):
            g = chain_gaps(table, pillar, imports=imports)
            if len(g):
                g = g.set_index("rank", append=True).reset_index("product")
                g.insert(1, "name", [names.sector(i) for i in g["product"]])
                r.table(
                    gaps_file(pillar),
                    g.reset_index().set_index("rank"),
                    title=f"Gaps of {names.pillar(pillar)} ({table.unit})",
                    digits=2,
                    max_rows=top,
                )
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
        r.paragraph(
            f"{int(rates['meets_target'].sum())} of {len(rates)} chain leaders meet the target of "
            f"{rates['target'].iloc[0]:.0%} (local share of their direct purchases and sales)."
        )
        r.table("local_supporting_rate", rates, title="Local supporting rate by chain leader", digits=3)
    return r
