"""Chain leaders and pillar chains of Xianning (咸宁): key sectors, gaps (补链), local supporting rate.

For the embedded ``xianning-2025`` table (an ESTIMATE) and the shipped firm
network ``xianning-illustrative`` (ILLUSTRATIVE: plan-named chain leaders with
generated suppliers — not survey data) this prints

- each pillar's chain: its key sectors (PageRank, betweenness) and its gaps —
  inputs bought mostly outside Xianning, ranked by value, with the output and
  value added gained if 30% of them were made locally (Leontief model);
- the communities of the flow graph against the plan's pillars;
- each chain leader's local supporting rate (本地化配套率) against the plan's
  2030 target of 30%, its critical suppliers and the suppliers leaders share;

and writes one drawing per pillar chain (PNG and SVG) to a new folder.

Usage::

    python examples/chain_leaders.py [OUT_FOLDER] [--force] [--local-share 0.3] [--threshold 0.03]

``OUT_FOLDER`` defaults to a new ``chain_drawings_<timestamp>`` folder; an
existing folder is refused unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

import xn_io
from xn_io import network as nw
from xn_io._files import atomic_directory
from xn_io.errors import OverwriteError
from xn_io.report import output_folder

BANNER_FIRMS = "ILLUSTRATIVE firm data (generated around the plan's chain leaders) — NOT survey data"


def _pct(v: float) -> str:
    return "   n/a" if pd.isna(v) else f"{v:6.1%}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=None, help="folder for the drawings (must not exist)")
    parser.add_argument("--force", action="store_true", help="replace an existing drawings folder")
    parser.add_argument("--local-share", type=float, default=0.3, help="share of imports made locally in the gap gains")
    parser.add_argument("--threshold", type=float, default=0.03, help="coefficient threshold of the pillar chains")
    parser.add_argument("--top", type=int, default=5, help="gaps and key sectors shown per pillar")
    args = parser.parse_args(argv)
    try:
        out = output_folder(args.out, stem="chain_drawings", force=args.force)  # refused before any work
    except OverwriteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    table = xn_io.load_table("xianning-2025")
    status = str(table.metadata.get("default_status", "")).upper()
    print(
        f"Table {table.name} is an {status}; chains, gaps and gains below are estimates from it, and the firm "
        f"network is ILLUSTRATIVE. Writing the chain drawings to {out}/\n"
    )
    imports = nw.gap_imports(table)  # the same import estimate as `xn-io chains`
    graph = nw.sector_graph(table, imports=imports)
    print(
        f"== Xianning sector graph: table {table.name} ({status}), {graph.number_of_nodes()} sectors, "
        f"{graph.number_of_edges()} links, money in {table.unit}"
    )
    print("   " + nw.GAP_MEASURE.format(method=imports.attrs["method"]) + "\n")

    keys = nw.central_sectors(graph)
    print("   key links (important coefficients: % change in total output per 1% change in the coefficient):")
    for r in nw.key_links(graph, top=args.top).itertuples():
        print(
            f"     {r.supplier:>28s} → {r.buyer:28s} flow {r.flow:7.2f}  a = {r.coefficient:.3f}  elasticity {r.elasticity:.4f}"
        )
    print()
    chains = nw.pillar_chains(graph, threshold=args.threshold)
    for pillar, chain in chains.items():
        members = [n for n, r in chain.nodes(data="role") if r == "pillar"]
        others = [n for n in chain.nodes if n not in members]
        print(f"-- pillar {pillar}: {', '.join(members)}")
        print(f"   chain (links with coefficient ≥ {args.threshold}): {', '.join(others) or '(no strong links)'}")
        top = keys[keys.index.isin(list(chain.nodes))].head(args.top)  # in PageRank order
        print("   key sectors of the chain (PageRank as supplier, betweenness):")
        for s, r in top.iterrows():
            print(f"     {s:30s} pagerank {r['pagerank_supplier']:.3f}  betweenness {r['betweenness']:.3f}")
        gaps = nw.chain_gaps(table, pillar, imports=imports, local_share=args.local_share, top=args.top)
        print(f"   gaps (inputs bought mostly outside Xianning) and gains if {args.local_share:.0%} were made locally:")
        print(f"     {'product':30s} {'imported':>9s} {'share':>6s} {'Δoutput':>8s} {'ΔVA':>7s}")
        for p, r in gaps.iterrows():
            print(
                f"     {p:30s} {r['imported']:9.2f} {r['import_share']:6.0%} {r['output_gain']:8.2f} {r['value_added_gain']:7.2f}"
            )
        print()

    found = nw.communities(graph, seed=0)
    cmp = nw.compare_communities(graph, found)
    print(
        f"== communities of the flow graph (Louvain, seed 0) vs the plan's pillars: adjusted Rand {cmp.adjusted_rand:.2f}"
    )
    for k in sorted(found.unique()):
        print(f"   community {k}: {', '.join(found.index[found == k])}")
    print()

    data = nw.load_firms("xianning-illustrative")
    firms = nw.firm_graph(data.firms, data.links)
    print(f"== chain leaders — {BANNER_FIRMS}")
    print(f"   {data.metadata.get('description', '')}")
    rates = nw.local_supporting_rate(firms)
    leaders = data.firms[data.firms["is_chain_leader"]]
    print(
        f"   {len(leaders)} chain leaders, combined output {leaders['output'].sum():,.0f} {data.metadata.get('unit', '')} "
        f"(assumed shares of their sectors' 2025 output) — plan for 2030: 30 leaders above 1000 亿元 in all"
    )
    print(f"   local supporting rate (本地化配套率) vs the plan's 2030 target {nw.LOCAL_SUPPORT_TARGET:.0%}:")
    print(f"     {'leader':42s} {'up':>6s} {'down':>6s} {'both':>6s}  target")
    for fid, r in rates.iterrows():
        flag = "meets" if r["meets_target"] else f"short by {r['target'] - r['both']:.1%}"
        print(
            f"     {fid} {r['name'][:38]:38s} {_pct(r['upstream'])} {_pct(r['downstream'])} {_pct(r['both'])}  {flag}"
        )
    print(
        "   critical local suppliers within two links upstream (dominators, articulation points, single sources; ILLUSTRATIVE):"
    )
    for fid in rates.index:
        crit = nw.critical_suppliers(firms, fid, depth=2)
        local = crit[crit["is_local"]]
        single = sum(len(s) for s in local["sole_local_source"])
        if local.empty:
            print(f"     {fid}: no local supplier")
            continue
        biggest = local["direct_value"].idxmax()
        feeders = local[local["cut_off"] > 0]
        print(
            f"     {fid}: largest local supplier {biggest} ({local.loc[biggest, 'direct_share']:.1%} of purchases); "
            f"{len(feeders)} local firms alone feed others upstream; {int(local['articulation'].sum())} articulation points; "
            f"{single} products from a single local supplier"
        )
    shared = nw.shared_suppliers(firms)
    shared = shared[shared["is_local"]]
    print(f"   {len(shared)} local suppliers sell to two or more leaders; the most shared (ILLUSTRATIVE):")
    for fid, r in shared.head(args.top).iterrows():
        print(f"     {fid:8s} {r['name'][:44]:44s} {r['value']:8.2f} → {', '.join(r['leaders'])}")
    print()

    try:
        with atomic_directory(out, overwrite=args.force) as tmp:
            for pillar, chain in chains.items():
                nw.save_chain_drawing(
                    chain,
                    tmp / f"chain_{pillar}",
                    status=f"{status} (xianning-2025)",
                    title=f"Xianning {pillar.replace('_', ' ')} chain",
                )
    except OverwriteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"chain drawings (PNG and SVG) written to {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
