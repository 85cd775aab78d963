"""Build the ILLUSTRATIVE firm network ``xianning-illustrative`` (chain leaders of the plan, generated suppliers).

NOT SURVEY DATA. The chain leaders are firms named in Xianning's 15th Five-Year
Plan (and Red Bull, named in issue 7); their outputs are assumed shares of their
sector's output in the ``xianning-2025`` table (itself an estimate); every other
firm and every link is generated here, with a fixed seed, so that the totals
agree with the table's sector flows:

- the firms of each sector (leaders plus 2–6 generated local firms) add up to
  the sector's output;
- each leader buys from each sector ``a_ij · x_leader`` locally (the table's
  regional coefficient) and ``m_ij / x_j · x_leader`` from outside Xianning (the
  imported inputs of :func:`xn_io.network.imported_inputs`, spread by the gap
  to the national China 2020 technology);
- each leader sells to each local sector ``z_jk / x_j · x_leader`` and outside
  Xianning ``exports_j / x_j · x_leader``; sales to local final users
  (households, government, investment) are not firm links;
- between two leaders the link is the proportional share (the same from both
  sides) when it is at least 0.5 亿元, otherwise that share goes to generated
  firms; among the generated firms the split is random (Dirichlet, seeded);
- first-tier local suppliers get links for their three largest regional inputs
  (tier 2), so that cuts and dominators have depth.

Run from the repository root: ``python tables/build_firms_illustrative.py``
(``--out FOLDER`` to write elsewhere; ``--force`` to replace an existing
folder; ``tests/test_network_firms.py`` rebuilds into a temporary folder and
compares with the committed files).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import xn_io  # noqa: E402
from xn_io._files import atomic_directory  # noqa: E402
from xn_io.network import imported_inputs, reference_coefficients  # noqa: E402

NAME = "xianning-illustrative"
TABLE = "xianning-2025"
REFERENCE = "china-2020"
SEED = 20260101
OUTPUT = ROOT / "xn_io" / "data" / "firms"
STATUS = "illustrative"
DECIMALS = 6

# id, English name, Chinese name, sector, assumed share of the sector's output, where the plan names it
LEADERS = [
    (
        "L01",
        "Jinshenglan steel",
        "金盛兰",
        "steel",
        0.70,
        "ch2 s2 box 2: chain leader of the low-carbon metallurgy cluster",
    ),
    ("L02", "CSG photovoltaic glass", "南玻光伏", "glass", 0.60, "ch1 s1: 南玻光伏 project commissioned"),
    (
        "L03",
        "Vital electronics (display covers)",
        "维达力",
        "electronics_optoelectronics",
        0.30,
        "ch1 s1: 维达力 display base commissioned; ch3 s1: provincial key laboratory",
    ),
    (
        "L04",
        "Sunwin technology (camera modules)",
        "三赢兴",
        "electronics_optoelectronics",
        0.20,
        "ch2 s2: quality leader; ch3 s1: provincial key laboratory",
    ),
    ("L05", "Ping An electrical materials", "平安电工", "electrical_machinery", 0.30, "ch2 s2: quality leader"),
    ("L06", "Sanhuan steering systems", "三环方向机", "auto_parts", 0.20, "ch2 s2: quality leader"),
    ("L07", "Winner medical", "稳健医疗", "pharma_medical", 0.25, "ch2 s2 box 2: medical textiles cluster"),
    ("L08", "Jinshida medical", "金士达医疗", "pharma_medical", 0.20, "ch2 s2 box 2: medical textiles cluster"),
    ("L09", "Huanghelou liquor", "黄鹤楼酒业", "food_beverages", 0.15, "ch2 s2: quality leader"),
    (
        "L10",
        "Genki Forest beverages",
        "元气森林",
        "food_beverages",
        0.20,
        "ch1 s1: 元气森林 health drinks project commissioned",
    ),
    ("L11", "Red Bull beverages", "红牛", "food_beverages", 0.20, "not in the plan text; named in issue 7 (beverages)"),
    (
        "L12",
        "China Resources Power (Puqi plant)",
        "华润电力",
        "power_coal",
        0.95,
        "ch1 s1: 华润蒲圻电厂三期 (Puqi plant phase 3) commissioned",
    ),
]
TIER2_INPUTS = 3
LEADER_LINK_MIN = 0.5  # 亿元: smaller proportional shares between two leaders go to generated firms instead


def _pool_size(x: float) -> int:
    return int(min(6, max(2, round(x / 60.0))))


def _round(v: float) -> float:
    return round(float(v), DECIMALS)


def build(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Generate the firms and links; returns (firms, links, metadata)."""
    rng = np.random.default_rng(seed)
    table = xn_io.load_table(TABLE)
    ref = reference_coefficients(table, xn_io.load_table(REFERENCE))
    imp = imported_inputs(table, reference=ref)
    sectors = list(table.sectors)
    x = table.x
    Z = table.Z
    exports = table.Y["exports"]
    info = table.sector_info
    pil = table.pillars.sort_values("share", ascending=False).drop_duplicates("sector").set_index("sector")["pillar"]

    firms = []
    pools: dict[str, list[str]] = {s: [] for s in sectors}
    output: dict[str, float] = {}
    leaders = {}
    for fid, name, name_zh, sector, share, note in LEADERS:
        out = share * x[sector]
        firms.append(
            dict(
                id=fid,
                name=name,
                name_zh=name_zh,
                sector=sector,
                pillar=pil.get(sector, ""),
                is_chain_leader=True,
                is_local=True,
                output=out,
                status=STATUS,
                note=f"named firm; output = assumed {share:.0%} of the sector's table output; {note}",
            )
        )
        pools[sector].append(fid)
        output[fid] = out
        leaders[fid] = sector
    for k, s in enumerate(sectors):
        rest = x[s] - sum(output[f] for f in pools[s])
        if rest <= 0:
            raise AssertionError(f"leaders of {s} exceed the sector's output")
        n = _pool_size(x[s])
        weights = rng.dirichlet(np.full(n, 2.0))
        for r in range(n):
            fid = f"X{k + 1:02d}-{r + 1}"
            firms.append(
                dict(
                    id=fid,
                    name=f"Local {s} firm {r + 1} (generated)",
                    name_zh=f"咸宁{info.loc[s, 'name_zh']}企业{r + 1}（生成）",
                    sector=s,
                    pillar=pil.get(s, ""),
                    is_chain_leader=False,
                    is_local=True,
                    output=rest * weights[r],
                    status=STATUS,
                    note="generated firm; outputs of a sector's firms add up to the table's output",
                )
            )
            pools[s].append(fid)
            output[fid] = rest * weights[r]
    for s in sectors:
        firms.append(
            dict(
                id=f"OUT-S-{s}",
                name=f"Suppliers of {s} outside Xianning (aggregate)",
                name_zh=f"市外{info.loc[s, 'name_zh']}供应商（汇总）",
                sector=s,
                pillar="",
                is_chain_leader=False,
                is_local=False,
                output=0.0,
                status=STATUS,
                note="aggregate node for inputs bought outside Xianning; output not applicable (0)",
            )
        )
    for s in sorted(set(leaders.values())):
        firms.append(
            dict(
                id=f"OUT-B-{s}",
                name=f"Buyers of {s} outside Xianning (aggregate)",
                name_zh=f"市外{info.loc[s, 'name_zh']}买方（汇总）",
                sector=s,
                pillar="",
                is_chain_leader=False,
                is_local=False,
                output=0.0,
                status=STATUS,
                note="aggregate node for sales outside Xianning (the table's exports column); output not applicable (0)",
            )
        )
    sector_of = {f["id"]: f["sector"] for f in firms}

    links: list[dict] = []

    def split(
        total: float, pool: list[str], exclude: str, tier: str, sell: str | None, buy: str | None, product: str
    ) -> list[str]:
        """Spread ``total`` over the pool: leaders proportionally, generated firms at random. Returns the firms used."""
        if total <= 0:
            return []
        sector = sector_of[pool[0]]
        used = []
        rest = total
        for f in pool:
            if f in leaders and f != exclude:
                v = total * output[f] / x[sector]
                if v < LEADER_LINK_MIN:  # the same decision from both sides: the value is symmetric
                    continue
                rest -= v
                used.append(f)
                links.append(dict(supplier=sell or f, buyer=buy or f, value=v, product=product, tier=tier))
        others = [f for f in pool if f not in leaders and f != exclude]
        k = 1 if rest < 0.5 else min(len(others), 1 + int(rng.integers(1, 3)))
        chosen = list(
            rng.choice(
                others, size=k, replace=False, p=np.array([output[f] for f in others]) / sum(output[f] for f in others)
            )
        )
        for f, w in zip(chosen, rng.dirichlet(np.full(k, 2.0))):
            links.append(dict(supplier=sell or f, buyer=buy or f, value=rest * w, product=product, tier=tier))
            used.append(f)
        return used

    first_tier: set[str] = set()
    for fid, sector in leaders.items():
        share = output[fid] / x[sector]
        for i in sectors:
            local = Z.loc[i, sector] * share
            used = split(local, pools[i], fid, "leader-upstream", None, fid, i)
            first_tier.update(f for f in used if f not in leaders)
            outside = imp.loc[i, sector] * share
            if outside > 0:
                links.append(dict(supplier=f"OUT-S-{i}", buyer=fid, value=outside, product=i, tier="leader-upstream"))
        for k in sectors:
            sales = Z.loc[sector, k] * share
            if sales <= 0:
                continue
            # sales to other leaders were made on their upstream side (the same proportional value)
            before = len(links)
            split(sales, pools[k], fid, "leader-downstream", fid, None, sector)
            links[before:] = [row for row in links[before:] if row["buyer"] not in leaders]
        if exports[sector] > 0:
            links.append(
                dict(
                    supplier=fid,
                    buyer=f"OUT-B-{sector}",
                    value=exports[sector] * share,
                    product=sector,
                    tier="leader-downstream",
                )
            )
    for f in sorted(first_tier):
        s = sector_of[f]
        coef = (Z[s] / x[s]).sort_values(ascending=False)
        for i in coef.index[:TIER2_INPUTS]:
            value = coef[i] * output[f]
            pool = [g for g in pools[i] if g not in leaders and g != f]
            if value <= 0 or not pool:
                continue
            g = pool[int(rng.integers(len(pool)))]
            links.append(dict(supplier=g, buyer=f, value=value, product=i, tier="tier-2"))

    linked = {row["supplier"] for row in links} | {row["buyer"] for row in links}
    firms_df = pd.DataFrame([f for f in firms if not f["id"].startswith("OUT-") or f["id"] in linked])
    firms_df["output"] = firms_df["output"].map(_round)
    links_df = (
        pd.DataFrame(links).groupby(["supplier", "buyer", "product", "tier"], as_index=False, sort=False)["value"].sum()
    )
    links_df = links_df[["supplier", "buyer", "value", "product", "tier"]]
    links_df["value"] = links_df["value"].map(_round)
    links_df = links_df[links_df["value"] > 0].reset_index(drop=True)
    links_df["status"] = STATUS
    meta = {
        "name": NAME,
        "status": STATUS,
        "unit": table.unit,
        "table": TABLE,
        "reference": REFERENCE,
        "seed": seed,
        "year": int(table.year or 2025),
        "description": "ILLUSTRATIVE firm network: chain leaders named in Xianning's 15th Five-Year Plan with generated "
        "suppliers, buyers and links whose totals agree with the xianning-2025 table. Not survey data.",
        "local_support_target": 0.30,
        "generator": "tables/build_firms_illustrative.py",
    }
    return firms_df, links_df, meta


def metadata_toml(meta: dict, checksums: dict[str, str]) -> str:
    lines = [f"{k} = {v!r}" if isinstance(v, (int, float)) else f'{k} = "{v}"' for k, v in meta.items()]
    lines += ["", "[checksums]"] + [f'"{k}" = "{v}"' for k, v in checksums.items()]
    return "\n".join(lines) + "\n"


PROVENANCE = """# xianning-illustrative — provenance

**Status: ILLUSTRATIVE. These are not survey data.** No firm-level supply data of Xianning are
public. This network exists to show how `xn_io.network` measures the chain leaders' local
supporting rate (本地化配套率) and finds critical suppliers; replace it with your own
`firms.csv` / `links.csv` (same columns) for any real analysis. Every row of both files carries
`status = illustrative`, and every report of `examples/chain_leaders.py` says so.

## What is taken from where

| item | status | source |
|---|---|---|
| the names of the {n_leaders} chain leaders | named in the plan (except 红牛) | 咸宁 15th Five-Year Plan, where in `note` of `firms.csv`. Only 金盛兰 is called a chain leader (链主) in the text; the others appear as leading firms, quality leaders or commissioned projects, and treating them as chain leaders is this dataset's choice (issue 7). 红牛 (Red Bull) is not in the plan text; it was named in the issue as a beverage leader |
| each leader's sector | assumption | mapped to the nearest sector of `xianning-2025` (e.g. 稳健医疗 and 金士达医疗 → `pharma_medical`: medical dressings are 卫生材料及医药用品, part of 医药制造; the plan lists them under the medical-textiles cluster) |
| each leader's output | **assumption** | a share of its sector's output in `xianning-2025` (itself an estimate), listed in `note` |
| all other firms, their outputs and every link | **generated** | `tables/build_firms_illustrative.py`, seed {seed} |

## How the links are generated (and why their totals agree with the table)

- The firms of each sector (its leaders plus 2–6 generated local firms) add up to the sector's
  output in the table; generated firms split the rest of the output by Dirichlet(2) shares.
- A leader of sector j with output X buys `a_ij · X` from local firms of sector i (the table's
  regional coefficients) and `m_ij / x_j · X` from an aggregate "outside Xianning" supplier of i,
  where `m` are the imported inputs of `xn_io.network.imported_inputs` (the imports row of the
  table spread over products by the gap to the China 2020 technology, `reference_coefficients`).
- It sells `z_jk / x_j · X` to local firms of sector k and `exports_j / x_j · X` to an aggregate
  "outside Xianning" buyer. Sales to local final users (households, government, investment) are
  not links between firms and are left out; so the downstream rate is local firms' share of the
  leader's sales to firms and to buyers outside the region.
- Between two leaders the link is the proportional share `z_ij · (X_a / x_i) · (X_b / x_j)`,
  the same whether seen from the seller or the buyer, when it is at least {leader_min} {unit}
  (smaller shares go to generated firms); among generated firms the split is random:
  one firm for less than 0.5 {unit}, otherwise two or three, drawn with probability ∝ output,
  with Dirichlet(2) shares.
- Each generated first-tier supplier gets links for its {tier2} largest regional inputs (tier 2),
  each from one generated firm of the supplying sector drawn at random; these links cover only
  part of those suppliers' purchases.

Consequently each leader's upstream local supporting rate equals its sector's regional share of
intermediate inputs in the table, and its downstream rate the local share of its sector's sales
to firms and to other regions: the firm data add detail, not information. The figures below are
what the generator produced.

## Chain leaders

| id | name | sector | output ({unit}) | upstream | downstream | both |
|---|---|---|---|---|---|---|
{rows}

Totals: {n_firms} firms, {n_links} links. Rebuild with `python tables/build_firms_illustrative.py --force`;
`tests/test_network_firms.py` checks that the rebuild reproduces these files and that the totals
agree with the table.
"""


def provenance(firms: pd.DataFrame, links: pd.DataFrame, meta: dict) -> str:
    from xn_io.network import firm_graph, local_supporting_rate

    rates = local_supporting_rate(firm_graph(firms, links))
    rows = []
    for fid, r in rates.iterrows():
        f = firms.set_index("id").loc[fid]
        rows.append(
            f"| {fid} | {f['name_zh']} {f['name']} | {f['sector']} | {f['output']:.2f} | "
            f"{r['upstream']:.1%} | {r['downstream']:.1%} | {r['both']:.1%} |"
        )
    return PROVENANCE.format(
        leader_min=LEADER_LINK_MIN,
        n_leaders=len(LEADERS),
        seed=meta["seed"],
        tier2=TIER2_INPUTS,
        unit=meta["unit"],
        rows="\n".join(rows),
        n_firms=len(firms),
        n_links=len(links),
    )


def write(folder: Path, *, force: bool = False) -> Path:
    firms, links, meta = build()
    target = folder / NAME
    with atomic_directory(target, overwrite=force) as tmp:
        texts = {
            "firms.csv": firms.to_csv(index=False, lineterminator="\n"),
            "links.csv": links.to_csv(index=False, lineterminator="\n"),
        }
        sums = {}
        for name, text in texts.items():
            (tmp / name).write_text(text, encoding="utf-8")
            sums[name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        (tmp / "metadata.toml").write_text(metadata_toml(meta, sums), encoding="utf-8")
        (tmp / "PROVENANCE.md").write_text(provenance(firms, links, meta), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT, help="folder that receives the dataset folder")
    parser.add_argument("--force", action="store_true", help="replace an existing dataset folder")
    args = parser.parse_args(argv)
    target = write(args.out, force=args.force)
    print(f"ILLUSTRATIVE firm network written to {target}")


if __name__ == "__main__":
    main()
