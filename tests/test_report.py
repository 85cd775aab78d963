"""Tests of xn_io.report: the self-contained HTML page, atomic report folders, fonts and charts."""

from __future__ import annotations

import base64
import html.parser
import io
import re
import warnings

import matplotlib.font_manager as fm
import matplotlib.image
import numpy as np
import pandas as pd
import pytest

import xn_io
from xn_io.errors import OverwriteError, XnIOError
from xn_io.report import Report, bar_chart, find_cjk_font, sector_labels
from xn_io.report.charts import chart_text, english_unit
from xn_io.report.fonts import FontChoice, covers
from xn_io.report.sections import data_status, multiplier_table, table_report

NO_FONT = FontChoice(None, None, "no CJK font (test)")


class _Resources(html.parser.HTMLParser):
    """Collect every attribute that could load something, and the tags used."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.loads: list[tuple[str, str, str]] = []
        self.tags: set[str] = set()
        self.in_style = False
        self.styles: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.in_style = tag == "style"
        for key, value in attrs:
            if key in ("src", "href", "srcset", "data", "poster", "action", "background"):
                self.loads.append((tag, key, value or ""))
            if key == "style":
                self.styles.append(value or "")
        if tag == "img":
            self.images.append(dict(attrs).get("src", ""))

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.styles.append(data)


def check_self_contained(page: str) -> list[bytes]:
    """Assert the page loads nothing from outside; return the decoded images."""
    parser = _Resources()
    parser.feed(page)
    assert not parser.tags & {"script", "link", "iframe", "object", "embed", "base"}, parser.tags
    for style in parser.styles:
        assert "@import" not in style, style
        for url in re.findall(r"url\(([^)]*)\)", style):  # only the embedded font subset, as a data URI
            assert url.startswith("data:font/woff;base64,"), url[:60]
            assert base64.b64decode(url.split(",", 1)[1], validate=True)[:4] == b"wOFF"
    pngs = []
    for tag, key, value in parser.loads:
        assert tag == "img" and key == "src", (tag, key, value[:60])
        assert value.startswith("data:image/png;base64,"), value[:60]
    for src in parser.images:
        data = base64.b64decode(src.split(",", 1)[1], validate=True)
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        image = matplotlib.image.imread(io.BytesIO(data), format="png")  # decodes the whole image
        assert image.shape[0] > 50 and image.shape[1] > 50
        pngs.append(data)
    return pngs


@pytest.fixture
def mb_report(mb_table) -> Report:
    return table_report(mb_table, font=NO_FONT)


# ----------------------------------------------------------------------------- document
def test_report_folder_is_complete_and_self_contained(mb_report, tmp_path):
    out = mb_report.write(tmp_path / "rep")
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert "report.md" in files and "report.html" in files
    for name in mb_report.tables:
        assert f"{name}.csv" in files
    for name in mb_report.figures:
        assert f"figures/{name}.png" in files
    pngs = check_self_contained((out / "report.html").read_text(encoding="utf-8"))
    assert len(pngs) == len(mb_report.figures) >= 2
    # every image the Markdown links to exists beside it
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", (out / "report.md").read_text(encoding="utf-8"))
    assert links and all((out / link).is_file() for link in links)
    # CSVs hold the full tables
    back = pd.read_csv(out / "multipliers.csv", index_col=0)
    assert list(back.index) == list(mb_report.tables["multipliers"].index)


def test_report_refuses_to_overwrite_and_replaces_with_overwrite(mb_report, tmp_path):
    target = tmp_path / "rep"
    mb_report.write(target)
    (target / "report.html").write_text("an older report")
    with pytest.raises(OverwriteError):
        mb_report.write(target)
    assert (target / "report.html").read_text() == "an older report"
    mb_report.write(target, overwrite=True)
    assert (target / "report.html").read_text() != "an older report"


def test_report_never_replaces_a_folder_it_did_not_write(mb_report, tmp_path):
    target = tmp_path / "rep"
    target.mkdir()
    (target / "mine.txt").write_text("keep me")
    for overwrite in (False, True):
        with pytest.raises(OverwriteError):
            mb_report.write(target, overwrite=overwrite)
    assert (target / "mine.txt").read_text() == "keep me" and sorted(p.name for p in target.iterdir()) == ["mine.txt"]


def test_failure_halfway_leaves_nothing(mb_report, tmp_path, monkeypatch):
    calls = {"n": 0}
    real = pd.DataFrame.to_csv

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full (simulated)")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", flaky)
    with pytest.raises(OSError, match="disk full"):
        mb_report.write(tmp_path / "rep")
    assert list(tmp_path.iterdir()) == []  # no report, no temporary folder


def test_html_escapes_text_and_markdown_escapes_pipes():
    r = Report("A <b> & c")
    r.paragraph("<script>alert(1)</script>")
    r.table("t", pd.DataFrame({"a|b": [1.0]}, index=["x"]))
    page = r.to_html()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "a\\|b" in r.to_markdown()


def test_names_must_be_file_names_and_unique():
    r = Report("x")
    with pytest.raises(XnIOError, match="file name"):
        r.table("../evil", pd.DataFrame({"a": [1]}))
    r.table("t", pd.DataFrame({"a": [1]}))
    with pytest.raises(XnIOError, match="used twice"):
        r.table("t", pd.DataFrame({"a": [1]}))
    with pytest.raises(XnIOError, match="not a PNG"):
        r.figure("f", b"GIF89a")


# ----------------------------------------------------------------------------- sections
def test_multipliers_match_a_naive_inverse(mb_table):
    m = multiplier_table(mb_table)
    A = np.array([[150, 500], [200, 100]]) / np.array([1000.0, 2000.0])
    L = np.linalg.inv(np.eye(2) - A)  # the second implementation: an explicit inverse
    np.testing.assert_allclose(m.loc[["agriculture", "manufacturing"], "output_multiplier"], L.sum(axis=0))
    # Miller & Blair (2022), eq. 2.14: L = [[1.2541, 0.3300], [0.2640, 1.1221]]
    np.testing.assert_allclose(m.loc["agriculture", "output_multiplier"], 1.2541 + 0.2640, atol=2e-4)
    f = np.array([30.0 / 1000, 10.0 / 2000])
    np.testing.assert_allclose(m.loc[["agriculture", "manufacturing"], "co2_multiplier"], f @ L)
    # no imports: every unit of final demand is one unit of value added (vᵀL = 1ᵀ)
    np.testing.assert_allclose(m["value_added_multiplier"], 1.0)
    assert m.attrs["units"]["co2_multiplier"] == "万吨/亿元"


def test_table_report_states_data_status(mb_table):
    lines = data_status(mb_table)
    assert any("co2" in line and "estimate" in line for line in lines)
    r = table_report(mb_table, font=NO_FONT)
    md = r.to_markdown()
    assert "Sources and status of the figures" in md
    assert "status" in r.tables["key_figures"].columns


def test_table_report_on_xianning_in_chinese_never_draws_boxes(tmp_path):
    t = xn_io.load_table("xianning-2025")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # matplotlib warns "Glyph … missing from font(s)"
        r = table_report(t, lang="zh", font=NO_FONT, top=5)
    notes = [b.text for b in r.blocks if type(b).__name__ == "Note"]
    assert any("no CJK font" in n for n in notes)  # the fallback is said in the report
    assert r.tables["multipliers"]["name"].str.contains("钢铁").any()  # tables keep Chinese names
    check_self_contained(r.to_html())


# ----------------------------------------------------------------------------- fonts and labels
def test_font_is_chosen_by_glyphs_not_by_name():
    dejavu = fm.findfont("DejaVu Sans")
    assert covers(dejavu, "GDP 2030") and not covers(dejavu, "咸宁")
    last_resort = [e.fname for e in fm.fontManager.ttflist if "last resort" in e.name.lower()]
    for path in last_resort:  # maps every code point to a box: must never count
        from matplotlib.ft2font import FT2Font

        assert ord("咸") in FT2Font(path).get_charmap()
        assert not covers(path)


def test_env_override_disables_cjk(monkeypatch):
    monkeypatch.setenv("XN_IO_CJK_FONT", "none")
    choice = find_cjk_font()
    assert not choice.available and "English" in choice.note


def test_sector_labels_fall_back_to_english_without_font():
    info = pd.DataFrame({"name_en": ["Steel", "Tea"], "name_zh": ["钢铁", "茶叶"]}, index=["steel", "tea"])
    labels, note = sector_labels(info, lang="zh", font=NO_FONT)
    assert labels.tolist() == ["Steel", "Tea"] and note
    labels, note = sector_labels(info, lang="en", font=NO_FONT)
    assert labels.tolist() == ["Steel", "Tea"] and note == ""
    only_zh = pd.DataFrame({"name_en": ["钢铁"]}, index=["steel"])
    assert sector_labels(only_zh, lang="en", font=NO_FONT)[0].tolist() == ["steel"]  # code, not boxes


def test_chart_text_translates_units():
    assert english_unit("万吨标准煤 and 万吨 per 亿元") == "10 kt coal eq. and 10 kt per 100 million yuan"
    assert chart_text("CO2 (万吨) 咸宁", NO_FONT) == "CO2 (10 kt)"


@pytest.mark.skipif(not find_cjk_font().available, reason="no CJK-capable font on this machine")
def test_chinese_labels_are_drawn_when_a_font_exists():
    font = find_cjk_font()
    info = pd.DataFrame({"name_en": ["Steel"], "name_zh": ["钢铁"]}, index=["steel"])
    labels, note = sector_labels(info, lang="zh", font=font)
    assert labels.tolist() == ["钢铁"] and note == ""
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        fig = bar_chart(pd.Series({"steel": 1.2}), title="t", xlabel="亿元", labels=labels, font=font)
        fig.savefig(io.BytesIO(), format="png")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["钢铁"]


# ----------------------------------------------------------------------------- plan sections
def test_paths_section_verdicts():
    from xn_io.report.plan_sections import paths_section, peak_year

    years = [2025, 2026, 2027]
    r = paths_section(
        pd.Series([100.0, 110.0, 121.0], index=years),
        pd.Series([5.0, 6.0, 7.0], index=years),
        unit="亿元",
        gdp_goal=(2027, 120.0),
        peak_by=2027,
        font=NO_FONT,
    )
    text = r.to_markdown()
    assert "— met (100.8%)" in text and "still rising in 2027" in text
    assert peak_year(pd.Series([5.0, 7.0, 6.0], index=years)) == 2026
    r = paths_section(
        pd.Series([100.0, 110.0], index=years[:2]), None, unit="亿元", gdp_goal=(2026, 120.0), font=NO_FONT
    )
    assert "missed (91.7%)" in r.to_markdown() and "co2_path" not in r.tables


def test_pillar_and_investment_sections():
    from xn_io.report.plan_sections import investment_section, pillar_section

    f = pd.DataFrame({"output": [1200.0, 400.0], "target": [1000.0, 500.0]}, index=["a", "b"])
    t = pillar_section(f, unit="亿元", font=NO_FONT).tables["pillars_vs_targets"]
    assert t["gap (亿元)"].tolist() == [200.0, -100.0] and t["met"].tolist() == ["yes", "no"]
    inv = pd.DataFrame({"x": [1.0, 3.0], "y": [0.0, 4.0], "z": [0.0, 0.0]}, index=[2026, 2027])
    r = investment_section(inv, unit="亿元", font=NO_FONT)
    by = r.tables["investment_by_sector"]
    assert by["total (亿元)"].to_dict() == {"y": 4.0, "x": 4.0} and by["share (%)"].sum() == pytest.approx(100.0)
    assert by.loc["x", ["2026", "2027"]].tolist() == [1.0, 3.0]  # sectors as rows, years as columns
    assert "z" not in by.index  # sectors with no investment are left out


def test_plan_report_agrees_with_the_plan(tmp_path):
    from xn_io.optimize import Scenario, solve
    from xn_io.report.plan_report import plan_report

    table = xn_io.load_table("xianning-2025")
    plan = solve(table, Scenario())
    r = plan_report(plan, table, font=NO_FONT)
    tables = r.tables
    np.testing.assert_allclose(tables["gdp_path"].loc["GDP"].to_numpy(dtype=float), plan.gdp.to_numpy())
    np.testing.assert_allclose(tables["co2_path"].loc["CO2"].to_numpy(dtype=float), plan.co2.sum().to_numpy())
    # the GDP goal is compared at the plan's prices: the same deflated target as the targets table
    goal = float(tables["gdp_path"].loc["GDP goal"].dropna().iloc[0])
    assert goal == pytest.approx(float(tables["targets"].iloc[0]["target"]), rel=1e-3)
    assert goal == pytest.approx(3000.0 / 1.0231**5, rel=1e-9)  # the plan's 3000亿元 at 2.31 %/yr, 2025 prices
    by = tables["investment_by_sector"]
    years = [str(y) for y in plan.investment.columns]
    np.testing.assert_allclose(by[years].sum().to_numpy(), plan.investment.sum().to_numpy(), atol=1e-9)
    assert len(tables["shadow_prices"]) == len(plan.binding)
    assert tables["shadow_prices"].index[0] == 1  # ranks count from 1
    out = r.write(tmp_path / "plan")
    check_self_contained((out / "report.html").read_text(encoding="utf-8"))
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## Summary" in md and "model result" in md


def test_scenario_template_documents_every_field():
    import dataclasses

    from xn_io.cli.template import commented_scenario, field_docs
    from xn_io.optimize import Scenario

    docs = field_docs(Scenario)
    text = commented_scenario(Scenario())
    for f in dataclasses.fields(Scenario):
        assert f.name in docs, f"Scenario.{f.name} has no entry in the Attributes section of its docstring"
        assert f"{f.name} =" in text or f"# {f.name} =" in text, f.name


def test_sensitivity_sentences_write_years_as_years():
    """The peak year reads '2028', not '2,028'; money keeps its thousands separator."""
    from xn_io.report.sensitivity import drivers_text

    rows = pd.DataFrame(
        {
            "metric": ["co2_peak_year", "gdp_2030"],
            "metric_unit": ["year", "亿元"],
            "label": ["carbon peak year", "investment budget"],
            "unit": ["year", "×"],
            "base_value": [2029, 1.0],
            "low_value": [2028, 0.9],
            "high_value": [2030, 1.2],
            "base": [2029.0, 2731.7],
            "at_low": [2028.0, 2605.5],
            "at_high": [2030.0, 2873.8],
            "status_low": ["optimal", "optimal"],
            "status_high": ["optimal", "optimal"],
            "swing": [2.0, 268.3],
        }
    )
    text = drivers_text(rows, metrics=["co2_peak_year", "gdp_2030"])
    assert "→ 2028" in text and "→ 2030" in text and "2,028" not in text
    assert "→ 2,606" in text and "→ 2,874" in text
    assert all(line[:1].isupper() for line in text.splitlines())  # each sentence starts with a capital


def test_a_table_shows_chosen_columns_and_writes_them_all(tmp_path):
    from xn_io.report.document import Report

    frame = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0], "c": ["x", "y"]})
    r = Report("t")
    r.table("wide", frame, columns=["a", "c"])
    out = r.write(tmp_path / "rep")
    page = (out / "report.md").read_text(encoding="utf-8")
    header = next(line for line in page.splitlines() if line.startswith("|"))
    assert [cell.strip() for cell in header.strip("|").split("|")][1:] == ["a", "c"]  # b left off the page …
    assert list(pd.read_csv(out / "wide.csv").columns)[-3:] == ["a", "b", "c"]  # … but in the CSV
    with pytest.raises(xn_io.XnIOError, match="no column 'z'"):
        r.table("other", frame, columns=["z"])
