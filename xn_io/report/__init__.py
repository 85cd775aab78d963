"""Reports for planners: Markdown and self-contained HTML, with matplotlib charts.

A report is built as data (:class:`Report`: headings, paragraphs, tables,
figures), then written as a folder — ``report.md``, ``report.html`` (charts
embedded, no outside resources), one CSV per table, one PNG per chart — in one
atomic step. The builders turn a table, a solved plan, a frontier or a chain
analysis into report sections, and say which figures are official statistics,
which are estimates and which are illustrative.
"""

from .chains import chain_drawings, chains_report
from .charts import bar_chart, frontier_chart, path_chart, sector_labels, stacked_bar_chart, target_chart, tornado_chart
from .document import Report, figure_png
from .fonts import FontChoice, find_cjk_font
from .plan_report import ChainDrawing, plan_findings, plan_report
from .sections import multiplier_table, table_report
from .sensitivity import drivers_text, sensitivity_section
from .uncertainty import plot_monte_carlo

__all__ = [
    "Report",
    "table_report",
    "plan_report",
    "plan_findings",
    "chains_report",
    "chain_drawings",
    "ChainDrawing",
    "multiplier_table",
    "figure_png",
    "FontChoice",
    "find_cjk_font",
    "sector_labels",
    "bar_chart",
    "path_chart",
    "target_chart",
    "stacked_bar_chart",
    "frontier_chart",
    "tornado_chart",
    "sensitivity_section",
    "drivers_text",
    "plot_monte_carlo",
]
