"""Report sections built from a table: key figures, pillars, satellites, multipliers, data status.

Each function returns a :class:`~xn_io.report.document.Report` whose blocks a
caller can write on their own or :meth:`~xn_io.report.document.Report.extend`
into a larger report (the plan report adds the table's sections to its own).

Examples
--------
>>> import xn_io
>>> t = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], sectors=["agriculture", "manufacturing"],
...                               satellites={"co2": ([30.0, 10.0], "万吨")}, name="mb")
>>> r = table_report(t)
>>> sorted(r.tables)
['key_figures', 'multipliers', 'satellites']
>>> round(float(r.tables["multipliers"].loc["agriculture", "output_multiplier"]), 4)  # 1.2541 + 0.2639, M&B eq. 2.14
1.5181
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .._units import with_unit_columns
from ..table import IOTable
from .charts import bar_chart, sector_labels
from .document import Report
from .fonts import FontChoice, find_cjk_font

__all__ = ["multiplier_table", "key_figures", "assumption_ranges", "pillar_scopes", "data_status", "table_report"]


def multiplier_table(table: IOTable, *, lang: str = "en") -> pd.DataFrame:
    """Output, value-added and satellite multipliers by sector, largest output multiplier first.

    Parameters
    ----------
    table : IOTable
    lang : {"en", "zh"}
        Language of the ``name`` column.

    Returns
    -------
    pandas.DataFrame
        Indexed by sector: ``name``, ``output_multiplier`` (``1ᵀL``),
        ``value_added_multiplier`` (``vᵀL``) and one ``<satellite>_multiplier``
        per satellite (``fᵀL``, in satellite unit per money unit); then each
        multiplier's unit in ``<multiplier>_unit`` (also in ``.attrs["units"]``).
        Miller & Blair (2022), §6.2.
    """
    info = table.sector_info
    col = "name_zh" if lang == "zh" and "name_zh" in info else "name_en"
    out = pd.DataFrame({"name": info[col].fillna(info["name_en"]).astype(str)}, index=table.sectors)
    out["output_multiplier"] = table.output_multipliers()
    out["value_added_multiplier"] = table.value_added_multipliers()
    units = {"output_multiplier": f"{table.unit}/{table.unit}", "value_added_multiplier": f"{table.unit}/{table.unit}"}
    for name, sat in table.satellites.items():
        out[f"{name}_multiplier"] = table.satellite_multipliers(name)
        units[f"{name}_multiplier"] = f"{sat.unit}/{table.unit}"
    out = out.sort_values("output_multiplier", ascending=False)
    out.index.name = "sector"
    return with_unit_columns(out, units)


def key_figures(table: IOTable) -> pd.DataFrame:
    """The table's key figures with their units and status (official or estimate), as :meth:`IOTable.summary`."""
    frame = table.summary()
    frame = frame[frame.index != "sectors"]
    frame.index.name = "indicator"
    return frame


def assumption_ranges(table: IOTable) -> pd.DataFrame:
    """How the key figures move across the documented range of an assumption (the LQ's δ), from the table's metadata.

    A table built with a range of its regionalisation parameter records, in
    ``metadata["delta_range"]``, the key figures rebuilt at each end of the range
    (the Xianning table: the 80 % range of δ from the LQ validation).

    Parameters
    ----------
    table : IOTable

    Returns
    -------
    pandas.DataFrame
        One row per variant (``low``, ``recommended``, ``high``) sorted by δ: ``delta``,
        ``lambda_star``, ``local_intermediate_share``, ``mean_output_multiplier``,
        ``exports``, ``exports_to_gdp``, ``imports``; empty when the table records no range.

    Examples
    --------
    >>> import xn_io
    >>> r = assumption_ranges(xn_io.load_table("xianning-2025"))
    >>> r.index.tolist(), r["delta"].tolist()
    (['low', 'recommended', 'high'], [0.0, 0.17, 0.47])
    >>> bool(r["local_intermediate_share"].is_monotonic_decreasing)
    True
    """
    block = table.metadata.get("delta_range")
    if not isinstance(block, Mapping) or not block:
        return pd.DataFrame()
    frame = pd.DataFrame({k: dict(v) for k, v in block.items()}).T.astype(float).sort_values("delta")
    frame.index.name = "variant"
    return frame


def pillar_scopes(table: IOTable) -> pd.DataFrame:
    """The pillars' outputs in the table's own scope and in the other scopes its metadata records, side by side.

    Parameters
    ----------
    table : IOTable

    Returns
    -------
    pandas.DataFrame
        Indexed by scope: ``output`` (in the table's unit), ``definition`` (sectors and
        shares) and ``note``; the table's pillars first, then ``metadata["pillar_scopes"]``.

    Examples
    --------
    >>> import xn_io
    >>> s = pillar_scopes(xn_io.load_table("xianning-2025"))
    >>> bool(s.loc["modern_agrifood_processing", "output"] > s.loc["modern_agrifood_processing_narrow", "output"])
    True
    """
    rows = []
    p = table.pillars
    for pillar in dict.fromkeys(p["pillar"]):
        part = p[p["pillar"] == pillar]
        definition = ", ".join(
            f"{sec}" + ("" if sh == 1 else f" ×{sh:g}") for sec, sh in zip(part["sector"], part["share"])
        )
        rows.append(
            (pillar, float((part["share"] * part["sector"].map(table.x)).sum()), definition, "pillar of the table")
        )
    scopes = table.metadata.get("pillar_scopes")
    if isinstance(scopes, Mapping):
        for name, scope in scopes.items():
            shares = dict(scope.get("sectors", {}))
            output = float(sum(float(v) * float(table.x[k]) for k, v in shares.items()))
            definition = ", ".join(k + ("" if float(v) == 1 else f" ×{float(v):g}") for k, v in shares.items())
            rows.append((name, output, definition, str(scope.get("note", ""))))
    return pd.DataFrame(rows, columns=["scope", "output", "definition", "note"]).set_index("scope")


def data_status(table: IOTable) -> list[str]:
    """Sentences saying which of the table's figures are official statistics and which are estimates.

    Built from the table's ``metadata`` (``official_figures``, ``estimates``,
    ``status``, ``default_status``, ``description``) and the status and note
    of each satellite account.
    """
    meta = table.metadata
    lines: list[str] = []
    name = table.name or "(unnamed table)"
    desc = meta.get("description")
    default = meta.get("default_status")
    head = f"Table {name}" + (f" ({table.year})" if table.year else "") + (f": {desc}." if desc else ".")
    if default:
        head += f" Figures not listed otherwise are: {default}."
    lines.append(head)
    for key, what in (("official_figures", "Official or published"), ("estimates", "Estimate")):
        block = meta.get(key)
        if isinstance(block, Mapping):
            # sentences only: numbers kept in the metadata as tables belong to the table's PROVENANCE.md
            for item, text in block.items():
                if isinstance(text, str):
                    lines.append(f"{what} — {item}: {text}")
    status = meta.get("status")
    if isinstance(status, Mapping) and not any(k in meta for k in ("official_figures", "estimates")):
        for item, text in status.items():
            lines.append(f"Status of {item}: {text}")
    for key, sat in table.satellites.items():
        lines.append(f"Satellite {key} [{sat.unit}]: {sat.status}" + (f" — {sat.note}" if sat.note else ""))
    if not default and not status and not any(k in meta for k in ("official_figures", "estimates")):
        lines.append("The table's metadata do not say which figures are official; treat them as supplied by the user.")
    return lines


def table_report(
    table: IOTable,
    *,
    lang: str = "en",
    top: int = 15,
    font: FontChoice | None = None,
    title: str | None = None,
) -> Report:
    """A report describing a table: key figures, pillars, satellites, multipliers and data status.

    Parameters
    ----------
    table : IOTable
    lang : {"en", "zh"}
        Language of the sector names in charts and tables.
    top : int
        Sectors shown in the multiplier charts.
    font : FontChoice, optional
        CJK font; searched for when ``lang="zh"`` and omitted.
    title : str, optional
        Report title (default: the table's name).

    Returns
    -------
    Report
    """
    if lang == "zh" and font is None:
        font = find_cjk_font()
    labels, label_note = sector_labels(table.sector_info, lang=lang, font=font)
    r = Report(title or f"Input-output table {table.name or '(unnamed)'}")
    r.paragraph(
        f"{table.n} sectors, money in {table.unit}"
        + (f", year {table.year}" if table.year else "")
        + f". GDP (sum of value added) {table.gdp:,.1f} {table.unit}; gross output {table.x.sum():,.1f} {table.unit}."
    )
    if label_note:
        r.note(label_note)
    r.heading("Key figures")
    r.table("key_figures", key_figures(table), title="Key figures, with units and status", digits=1)

    if not table.pillars.empty:
        r.heading("Pillar industries")
        p = table.pillars.copy()
        p["name"] = p["sector"].map(labels)
        p["output"] = p["share"] * p["sector"].map(table.x)
        p = p.set_index("sector")[["name", "pillar", "share", "output"]]
        r.paragraph(
            "Each pillar is defined as shares of table sectors (data shipped with the table); its output is "
            f"Σ share × gross output, in {table.unit}."
        )
        r.table("pillars", p, title=f"Pillar definitions and 2025 output ({table.unit})", digits=2)

    scopes = pillar_scopes(table)
    if table.metadata.get("pillar_scopes"):
        r.table("pillar_scopes", scopes, title=f"Pillar outputs in other scopes, side by side ({table.unit})", digits=1)
    ranges = assumption_ranges(table)
    if not ranges.empty:
        r.heading("How the key figures move with the location quotient's δ")
        r.paragraph(
            "The table's local purchase coefficients come from a location quotient whose δ is uncertain; the build "
            "recorded the key figures at the ends of the documented range (everything else unchanged). Gross output, "
            "value added and pillar outputs do not move with δ: they are anchored on value added."
        )
        r.table("delta_range", ranges, title="Key figures across the range of δ", digits=3)

    if table.satellites:
        r.heading("Satellite accounts")
        sats = pd.DataFrame(
            [(k, s.unit, s.total, s.status, s.note) for k, s in table.satellites.items()],
            columns=["satellite", "unit", "total", "status", "note"],
        ).set_index("satellite")
        r.table("satellites", sats, title="Satellite accounts", digits=1)

    r.heading("Multipliers")
    mult = multiplier_table(table, lang=lang)
    r.paragraph(
        "Output multiplier: gross output in all sectors per unit of final demand for a sector (1ᵀL); "
        "value-added multiplier: GDP per unit of final demand (vᵀL); satellite multipliers: the satellite "
        "released along the whole supply chain per unit of final demand (fᵀL). Miller & Blair (2022), §6.2."
    )
    r.table("multipliers", mult, title="Multipliers by sector", digits=3, max_rows=top)
    avg = float(mult["output_multiplier"].mean())
    r.figure(
        "output_multipliers",
        bar_chart(
            mult["output_multiplier"],
            title="Output multipliers",
            xlabel=f"{table.unit} of output per {table.unit} of final demand",
            labels=labels,
            top=top,
            highlight=avg,
            font=font,
        ),
        title="Output multipliers",
        caption=f"Top {min(top, table.n)} sectors; dashed line: average over all sectors.",
    )
    if "co2" in table.satellites:
        unit = table.satellite("co2").unit
        r.figure(
            "co2_multipliers",
            bar_chart(
                mult["co2_multiplier"],
                title="CO2 multipliers",
                xlabel=f"{unit} of CO2 per {table.unit} of final demand",
                labels=labels,
                top=top,
                font=font,
            ),
            title="CO2 multipliers",
            caption="CO2 released along the whole supply chain per unit of final demand.",
        )

    r.heading("Sources and status of the figures")
    r.bullets(data_status(table))
    return r
