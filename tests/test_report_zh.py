"""A Chinese report that renders anywhere: Chinese names in every file, the glyphs it uses embedded."""

import base64
import io
import re

import openpyxl
import pytest
from fontTools.ttLib import TTFont

import xn_io
from tests.test_report import check_self_contained
from xn_io.report.fonts import find_cjk_font, packaged_cjk_font


def _page_text(page: str) -> str:
    body = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    body = re.sub(r'src="data:[^"]*"', "", body)
    return re.sub(r"<[^>]+>", " ", body)


def _embedded_font(page: str) -> TTFont:
    faces = re.findall(r"@font-face\{[^}]*\}", page)
    assert len(faces) == 1, faces
    data = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", faces[0]).group(1)
    return TTFont(io.BytesIO(base64.b64decode(data, validate=True)))


@pytest.fixture(scope="module")
def zh_report(tmp_path_factory):
    from xn_io.cli import main

    out = tmp_path_factory.mktemp("zh") / "report"
    assert main(["report", "--out", str(out), "--lang", "zh", "--quiet", "--no-frontier"]) == 0
    return out


def test_the_packaged_font_is_used_whatever_the_system_has():
    # the font comes with the install (mplfonts), so it does not matter whether `fc-list :lang=zh` is empty
    assert packaged_cjk_font() is not None
    choice = find_cjk_font()
    assert choice.available and choice.path == packaged_cjk_font()


def test_every_sector_has_its_chinese_name_in_every_file(zh_report):
    info = xn_io.load_table("xianning-2025").sector_info  # the names as sectors.csv gives them
    names = [str(n) for n in info["name_zh"].dropna()]
    assert len(names) == len(info)
    html = (zh_report / "report.html").read_text(encoding="utf-8")
    md = (zh_report / "report.md").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(zh_report / "plan.xlsx", read_only=True)
    cells = " ".join(
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None
    )
    for name in names:
        assert name in html, name
        assert name in md, name
        assert name in cells, name
    for pillar in ("绿色新型材料", "现代装备制造", "大健康", "现代农产品加工", "文化旅游"):  # plan/targets.csv
        assert pillar in html and pillar in md and pillar in cells
    from xn_io.report.glossary import CONSTRAINT_NAMES

    assert any(zh in html for _, zh in CONSTRAINT_NAMES.values())  # constraint names translated too
    from xn_io.optimize import FAMILIES

    assert {"growth_up", "growth_down"} | set(FAMILIES) - {"growth_bounds"} <= set(CONSTRAINT_NAMES)
    header = (zh_report / "output_by_sector.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "名称" in header  # CSV headers in Chinese


def test_the_page_embeds_every_glyph_it_uses_and_loads_nothing(zh_report):
    html = (zh_report / "report.html").read_text(encoding="utf-8")
    check_self_contained(html)  # loads nothing: no script, link, outside url(); images and font as data URIs
    font = _embedded_font(html)
    cmap = font.getBestCmap()
    needed = {ch for ch in _page_text(html) if ord(ch) >= 0x2000 and not ch.isspace()}
    assert {"亿", "元", "万", "吨"} <= needed
    missing = sorted(
        ch for ch in needed if ord(ch) not in cmap and ord(ch) in TTFont(packaged_cjk_font(), lazy=True).getBestCmap()
    )
    assert not missing, missing
    assert len(cmap) < 3 * len(needed) + 50  # a subset, not the whole 65,000-glyph font


def test_english_pages_embed_the_units_too(tmp_path):
    from xn_io.report import Report

    r = Report("GDP")
    r.paragraph("GDP 3000亿元; CO2 3,346 万吨; energy 1,200 万吨标准煤.")
    page = r.to_html()
    cmap = _embedded_font(page).getBestCmap()
    assert all(ord(ch) in cmap for ch in "亿元万吨标准煤")
