"""Fonts for chart labels and reports: a font that can draw Chinese, or why there is none.

Matplotlib draws a missing glyph as an empty box (tofu) and only warns. A
chart of Chinese sector names must therefore be drawn with a font that has the
glyphs. xn_io depends on the ``mplfonts`` package, which ships Noto Sans CJK SC
(SIL Open Font License), so :func:`find_cjk_font` finds a font on any machine
where xn_io is installed; it checks the font by its character map — not by its
name — and otherwise looks among the fonts matplotlib knows and the system's
font files. Without any, labels fall back to English and the report says so.

The environment variable ``XN_IO_CJK_FONT`` overrides the search: a path to a
font file to use, or ``none`` to behave as on a machine without CJK fonts.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FontChoice", "find_cjk_font", "packaged_cjk_font", "covers", "CJK_SAMPLE"]

CJK_SAMPLE = "咸宁绿色新材料现代装备大健康农产品加工文化旅游"
"""Characters a CJK font must have to be chosen (the city and the pillar names)."""

_PREFERRED = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
    "Droid Sans Fallback",
    "Arial Unicode MS",
)

# Fonts that map every code point to a placeholder glyph: they "cover" CJK
# but draw boxes, which is exactly what must not happen.
_PLACEHOLDER_FONTS = ("last resort",)


@dataclass(frozen=True)
class FontChoice:
    """The font used for Chinese labels, or why there is none.

    Attributes
    ----------
    family : str or None
        Font family name to put first in matplotlib's ``font.sans-serif``
        list; ``None`` when no CJK-capable font was found.
    path : str or None
        The font file.
    note : str
        One sentence for the report: which font draws the Chinese labels, or
        that none was found and labels fall back to English.
    """

    family: str | None
    path: str | None
    note: str

    @property
    def available(self) -> bool:
        """True when Chinese labels can be drawn."""
        return self.family is not None


def _charmap(path: str) -> Mapping[int, int]:
    from matplotlib.ft2font import FT2Font

    try:
        return FT2Font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return {}


def covers(path: str | os.PathLike, text: str = CJK_SAMPLE) -> bool:
    """True when the font file ``path`` has a glyph for every character of ``text``.

    Placeholder fonts (matplotlib's "Last Resort", which maps every code point
    to a box) never count.

    Examples
    --------
    >>> import matplotlib.font_manager as fm
    >>> covers(fm.findfont("DejaVu Sans"), "Xianning")
    True
    >>> covers(fm.findfont("DejaVu Sans"), "咸宁")
    False
    """
    path = str(path)
    if any(p in Path(path).name.lower().replace("-", " ").replace("_", " ") for p in ("lastresort", "last resort")):
        return False
    charmap = _charmap(path)
    return bool(charmap) and all(ord(ch) in charmap for ch in text if not ch.isspace())


class _MissingWeight(logging.Filter):
    """Drops matplotlib's "Failed to find font weight bold for <family>" about one regular-only fallback font.

    The packaged CJK font has a regular face only; bold Latin text (titles,
    the ESTIMATE stamp) is drawn by DejaVu Sans, and a bold Chinese label is
    drawn regular — which matplotlib announces on every figure.
    """

    def __init__(self, family: str):
        super().__init__()
        self.family = family

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("findfont: Failed to find font weight") and self.family in message)


def _quiet_missing_weights(family: str) -> None:
    logger = logging.getLogger("matplotlib.font_manager")
    if not any(isinstance(f, _MissingWeight) and f.family == family for f in logger.filters):
        logger.addFilter(_MissingWeight(family))


def packaged_cjk_font() -> str | None:
    """The path of Noto Sans CJK SC as shipped by the ``mplfonts`` package, or ``None`` if it is not installed.

    The package is not imported (its import changes nothing, but it is not
    needed): only its font file is used.

    Examples
    --------
    >>> path = packaged_cjk_font()
    >>> path is None or covers(path, "咸宁亿元万吨标准煤")
    True
    """
    import importlib.util

    spec = importlib.util.find_spec("mplfonts")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(folder) / "fonts" / "NotoSansCJKsc-Regular.otf"
        if path.is_file():
            return str(path)
    return None


def _family(path: str) -> str | None:
    from matplotlib.ft2font import FT2Font

    try:
        return FT2Font(path).family_name
    except (OSError, RuntimeError, ValueError):
        return None


@functools.cache
def _search(override: str | None) -> FontChoice:
    import matplotlib.font_manager as fm

    none_note = (
        "No font able to draw Chinese characters was found on this machine, so chart labels "
        "use English sector names; the tables of this report keep the Chinese names."
    )
    if override is not None:
        if override.strip().lower() in ("", "none", "0", "off"):
            return FontChoice(None, None, none_note + " (CJK fonts disabled by XN_IO_CJK_FONT.)")
        if not Path(override).is_file() or not covers(override):
            return FontChoice(None, None, none_note + f" (XN_IO_CJK_FONT={override!r} is not a CJK-capable font file.)")
        fm.fontManager.addfont(override)
        family = _family(override)
        return FontChoice(family, override, f"Chinese labels are drawn with {family} ({override}).")

    packaged = packaged_cjk_font()
    if packaged is not None and covers(packaged):
        fm.fontManager.addfont(packaged)
        family = _family(packaged) or "Noto Sans CJK SC"
        _quiet_missing_weights(family)
        return FontChoice(
            family,
            packaged,
            f"Chinese labels are drawn with {family} (SIL Open Font License, shipped by the mplfonts package).",
        )

    entries = [e for e in fm.fontManager.ttflist if not any(p in e.name.lower() for p in _PLACEHOLDER_FONTS)]
    rank = {name: i for i, name in enumerate(_PREFERRED)}
    entries.sort(key=lambda e: (rank.get(e.name, len(rank)), e.name, e.fname))
    for entry in entries:
        if covers(entry.fname):
            return FontChoice(entry.name, entry.fname, f"Chinese labels are drawn with {entry.name}.")
    # matplotlib's font cache may predate fonts installed later: look at the files themselves.
    known = {e.fname for e in fm.fontManager.ttflist}
    files = sorted(f for f in fm.findSystemFonts() if f not in known)
    files.sort(
        key=lambda f: (
            not any(k in f.lower() for k in ("cjk", "han", "hei", "wqy", "song", "ming", "yahei")),
            "bold" in f.lower(),
            "serif" in f.lower(),
            f,
        )
    )
    for path in files:
        if covers(path):
            try:
                fm.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
            family = _family(path)
            if family:
                for other in files:  # the bold (and other) faces of the same family, for bold titles
                    if other != path and _family(other) == family:
                        try:
                            fm.fontManager.addfont(other)
                        except (OSError, RuntimeError, ValueError):
                            pass
                return FontChoice(family, path, f"Chinese labels are drawn with {family}.")
    return FontChoice(None, None, none_note)


def find_cjk_font() -> FontChoice:
    """Find a font that draws Chinese characters, by its character map.

    Returns
    -------
    FontChoice
        ``family`` is ``None`` when there is none; ``note`` says what was
        found, for the report. The search runs once per process.

    Notes
    -----
    The font shipped by ``mplfonts`` (a dependency of xn_io) comes first, so
    charts look the same on every machine; then fonts matplotlib knows, then
    the system's font files. Fonts are chosen by their glyphs, not their
    names: a font counts only if it has every character of :data:`CJK_SAMPLE`. Fonts that draw a placeholder
    box for every character (matplotlib's bundled "Last Resort") never count.
    The environment variable ``XN_IO_CJK_FONT`` can name a font file, or be
    ``none`` to disable Chinese labels.

    Examples
    --------
    >>> choice = find_cjk_font()
    >>> choice.available == (choice.family is not None)
    True
    """
    return _search(os.environ.get("XN_IO_CJK_FONT"))
