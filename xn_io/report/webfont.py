"""An HTML report's own font: the glyphs it uses, subset from the CJK font and embedded as a data URI.

A browser on a machine without a Chinese font draws 亿元, 万吨 and Chinese
sector names as empty boxes. :func:`font_face_css` cuts from the CJK font
(:func:`xn_io.report.fonts.find_cjk_font`, Noto Sans CJK SC from ``mplfonts``)
only the glyphs of the characters the page uses beyond Latin text, and returns
an ``@font-face`` rule whose source is that subset as a ``data:font/woff``
URI — so the page stays one self-contained file (no outside URL) and renders
the same everywhere. Latin text keeps the reader's system fonts: the rule's
``unicode-range`` lists only the embedded characters.

References
----------
fontTools subsetter: https://fonttools.readthedocs.io/en/latest/subset/
CSS Fonts Level 4, ``@font-face`` and ``unicode-range``: https://www.w3.org/TR/css-fonts-4/
"""

from __future__ import annotations

import base64
import functools
import io

__all__ = ["EMBEDDED_FAMILY", "embedded_characters", "font_face_css"]

EMBEDDED_FAMILY = "xn-io CJK"
"""The CSS family name of the embedded subset; put it first in the page's ``font-family``."""


def embedded_characters(text: str, charmap: frozenset[int] | set[int] | None = None) -> str:
    """The characters of ``text`` to embed: every one from U+2000 up (punctuation, symbols, CJK) the font has.

    Examples
    --------
    >>> embedded_characters("GDP 3000亿元 — 咸宁")
    '—亿元咸宁'
    """
    chars = sorted({ch for ch in text if ord(ch) >= 0x2000 and not ch.isspace()})
    if charmap is not None:
        chars = [ch for ch in chars if ord(ch) in charmap]
    return "".join(chars)


@functools.lru_cache(maxsize=8)
def _subset_woff(path: str, chars: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"  # zlib-compressed; WOFF2 would need brotli
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.desubroutinize = True
    font = TTFont(path, lazy=True, recalcTimestamp=False)  # the same page gives the same bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    return buffer.getvalue()


@functools.lru_cache(maxsize=4)
def _codepoints(path: str) -> frozenset[int]:
    from .fonts import _charmap

    return frozenset(_charmap(path))


def _ranges(chars: str) -> str:
    points = sorted(ord(ch) for ch in chars)
    spans: list[list[int]] = []
    for p in points:
        if spans and p == spans[-1][1] + 1:
            spans[-1][1] = p
        else:
            spans.append([p, p])
    return ",".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in spans)


def font_face_css(text: str, font_path: str | None = None) -> str:
    """An ``@font-face`` rule embedding the glyphs ``text`` needs beyond Latin, or ``""`` if none.

    Parameters
    ----------
    text : str
        Every piece of text of the page (titles, paragraphs, table cells).
    font_path : str, optional
        The font to cut from (default: :func:`~xn_io.report.fonts.find_cjk_font`'s).

    Returns
    -------
    str
        CSS: ``@font-face{font-family:"xn-io CJK";src:url(data:font/woff;base64,…)
        format("woff");unicode-range:…}``, or ``""`` when the page has no such
        character or no CJK font is available.

    Examples
    --------
    >>> css = font_face_css("GDP 3000亿元")
    >>> css.startswith('@font-face{font-family:"xn-io CJK";src:url(data:font/woff;base64,')
    True
    >>> "U+4EBF" in css and "U+5143" in css  # 亿, 元
    True
    >>> font_face_css("plain ASCII")
    ''
    """
    if font_path is None:  # the chart font, or the packaged one when charts were told to use none
        from .fonts import find_cjk_font, packaged_cjk_font

        font_path = find_cjk_font().path or packaged_cjk_font()
    if font_path is None:
        return ""
    chars = embedded_characters(text, _codepoints(font_path))
    if not chars:
        return ""
    data = base64.b64encode(_subset_woff(font_path, chars)).decode("ascii")
    return (
        f'@font-face{{font-family:"{EMBEDDED_FAMILY}";src:url(data:font/woff;base64,{data}) format("woff");'
        f"font-display:block;unicode-range:{_ranges(chars)}}}"
    )
