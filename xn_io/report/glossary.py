"""Names in the report's language: sectors, pillars, targets, constraints and column headers.

Sector names come from the table (``name_en`` / ``name_zh`` of
:attr:`xn_io.IOTable.sector_info`). Pillar names are the plan's own: the five
pillar industries of Xianning's 15th Five-Year Plan as its targets list names
them (``plan/targets.csv``: 绿色新型材料, 现代装备制造, 大健康, 现代农产品加工,
文化旅游), keyed by the pillar ids of the embedded table; a user's table with
other pillars keeps its ids. Constraint and header names translate the
model's vocabulary. :class:`Names` gathers them for one table and language.

Examples
--------
>>> import xn_io
>>> names = Names.for_table(xn_io.load_table("xianning-2025"), "zh")
>>> names.pillar("green_new_materials"), names.constraint("carbon_cap")
('绿色新型材料', '碳排放上限')
>>> names.target("pillar culture_tourism 2030")
'文化旅游 2030'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Names", "PILLAR_NAMES", "CONSTRAINT_NAMES", "HEADERS"]

#: The plan's pillar industries: pillar id → (English, Chinese), as plan/targets.csv names them.
PILLAR_NAMES: dict[str, tuple[str, str]] = {
    "green_new_materials": ("green new materials", "绿色新型材料"),
    "modern_equipment": ("modern equipment manufacturing", "现代装备制造"),
    "big_health": ("big health", "大健康"),
    "modern_agrifood_processing": ("modern agricultural products processing", "现代农产品加工"),
    "culture_tourism": ("culture and tourism", "文化旅游"),
}

#: Constraint families of the plan model: family → (English, Chinese).
CONSTRAINT_NAMES: dict[str, tuple[str, str]] = {
    "budget": ("investment budget", "投资预算"),
    "energy_cap": ("energy cap", "能耗上限"),
    "carbon_cap": ("carbon cap", "碳排放上限"),
    "carbon_peak": ("carbon peak (CO2 may not rise)", "碳达峰（排放不再上升）"),
    "carbon_intensity": ("CO2-intensity limit", "碳排放强度上限"),
    "labour": ("employment limit", "就业人数上限"),
    "gdp_target": ("GDP target", "GDP目标"),
    "pillar_targets": ("pillar target", "支柱产业目标"),
    "new_energy": ("new-energy capacity target", "新能源装机目标"),
    "gdp_floor": ("GDP floor", "GDP下限"),
    "growth_up": ("growth ceiling", "增长上限"),
    "growth_down": ("decline floor", "下降下限"),
    "exports": ("market outside the region", "区外市场上限"),
    "utilisation": ("least capacity use", "产能利用率下限"),
    "carbon_budget": ("cumulative carbon budget", "累计碳排放预算"),
    "new_energy_sites": ("new-energy sites and grid", "新能源场址与电网上限"),
    "dispatch": ("power dispatch", "电力调度"),
    "terminal": ("capacity left for after the plan", "期末产能条件"),
    "local_supporting_rate": ("local supporting rate target (sector level)", "本地化配套率目标（部门层面）"),
    "non_fossil_share": ("non-fossil share of energy use", "非化石能源消费比重"),
    "energy_intensity": ("energy-intensity limit", "能耗强度上限"),
    "fossil_energy_peak": ("fossil energy peak (coal and oil control)", "化石能源消费达峰（控煤控油）"),
    "consumption_rate": ("household consumption rate", "居民消费率"),
    "cluster_output": ("advanced-manufacturing cluster output", "先进制造业集群产值"),
    "cluster_share": ("clusters' share of industry", "集群占规上工业比重"),
    "chain_leader_output": ("chain-leader output", "链主企业产值"),
}

#: Column and index headers: English → Chinese (units are added by the caller, from the data).
HEADERS: dict[str, str] = {
    "sector": "部门",
    "name": "名称",
    "pillar": "支柱产业",
    "share": "比重",
    "output": "产出",
    "target": "目标",
    "gap": "差额",
    "met": "是否达到",
    "achieved": "实现值",
    "shortfall": "缺口",
    "unit": "单位",
    "year": "年份",
    "total": "合计",
    "rank": "排序",
    "constraint": "约束",
    "item": "对象",
    "rhs": "约束值",
    "shadow_price": "影子价格",
    "GDP": "GDP",
    "GDP goal": "GDP目标",
    "CO2": "CO2",
    "cap": "上限",
    "definition": "定义",
    "value": "数值",
    "section": "部分",
    "field": "字段",
    "figures": "数据",
    "status": "性质",
    "carbon_cap": "碳排放上限",
    "energy_cap": "能耗上限",
    "feasible": "可行",
    "objective": "目标函数值",
}


@dataclass(frozen=True)
class Names:
    """Display names for one table in one language (``"en"`` or ``"zh"``).

    Attributes
    ----------
    lang : str
    sectors : dict
        Sector id → name (the table's ``name_zh`` or ``name_en``; the id where both are missing).
    """

    lang: str = "en"
    sectors: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def for_table(cls, table, lang: str = "en") -> Names:
        """Names of ``table``'s sectors in ``lang`` (Chinese falls back to English where a name is missing)."""
        if lang not in ("en", "zh"):
            raise ValueError(f"lang must be 'en' or 'zh', got {lang!r}")
        info = table.sector_info
        english = info["name_en"].fillna(pd.Series(info.index, index=info.index)).astype(str)
        names = english
        if lang == "zh" and "name_zh" in info:
            names = (
                info["name_zh"]
                .where(info["name_zh"].notna() & (info["name_zh"].astype(str) != ""), english)
                .astype(str)
            )
        return cls(lang, dict(names))

    @property
    def zh(self) -> bool:
        """True for Chinese."""
        return self.lang == "zh"

    def sector(self, sector: str) -> str:
        """A sector's name (its id when the table has none)."""
        return self.sectors.get(sector, str(sector))

    def pillar(self, pillar: str) -> str:
        """A pillar's name: the plan's name for its five pillars, else the id."""
        pair = PILLAR_NAMES.get(pillar)
        return pillar if pair is None else pair[1 if self.zh else 0]

    def constraint(self, family: str) -> str:
        """A constraint family's name."""
        pair = CONSTRAINT_NAMES.get(family)
        return family if pair is None else pair[1 if self.zh else 0]

    def item(self, item: str) -> str:
        """What a constraint or target applies to: a sector, a pillar, or as is."""
        if item in self.sectors:
            return self.sector(item)
        if item in PILLAR_NAMES:
            return self.pillar(item)
        return str(item)

    def target(self, name: str) -> str:
        """A target's name (``pillar <id> <year>`` → the pillar's name and the year).

        Examples
        --------
        >>> Names("zh").target("new-energy capacity 2030")
        '新能源装机 2030'
        """
        m = re.fullmatch(r"pillar (\S+) (\d{4})", str(name))
        if m:
            return f"{self.pillar(m.group(1))} {m.group(2)}"
        if self.zh:
            m = re.fullmatch(r"(GDP|new-energy capacity) (\d{4})", str(name))
            if m:
                return f"{'GDP' if m.group(1) == 'GDP' else '新能源装机'} {m.group(2)}"
        return str(name)

    def header(self, text: str, unit: str | None = None) -> str:
        """A column header in the language, with its unit: ``output (亿元)`` / ``产出（亿元）``."""
        base = HEADERS.get(str(text), str(text)) if self.zh else str(text)
        if not unit:
            return base
        return f"{base}（{unit}）" if self.zh else f"{base} ({unit})"

    def yes_no(self, value: bool) -> str:
        """``yes``/``no`` or ``是``/``否``."""
        return ("是" if value else "否") if self.zh else ("yes" if value else "no")
