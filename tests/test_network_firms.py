"""xn_io.network at firm level: validation, local supporting rate, critical suppliers, cuts, the illustrative data, drawings."""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import tomllib
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import xn_io
from xn_io import network as nw
from xn_io.errors import NetworkDataError, OverwriteError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "xn_io" / "data" / "firms" / "xianning-illustrative"


def _firms(rows):
    return pd.DataFrame(rows, columns=["id", "name", "sector", "pillar", "is_chain_leader", "is_local", "output"])


def _links(rows):
    return pd.DataFrame(rows, columns=["supplier", "buyer", "value", "product"])


@pytest.fixture
def small():
    """Two leaders L1, L2. Hand-computed rates in the tests below.

    L1 buys ore from s1 (local, 20) and o1 (outside, 30), steel from L2 (local leader, 10);
    sells to b1 (local, 15) and ob (outside, 45).  L2 buys from s1 (local, 5) and sells to L1 (10).
    s2 (local) feeds s1 (8); s3 (local) feeds s1 (2).
    """
    firms = _firms(
        [
            ("L1", "Leader one", "cars", "auto", True, True, 100.0),
            ("L2", "Leader two", "steel", "materials", True, True, 50.0),
            ("s1", "Supplier 1", "ore", "", False, True, 30.0),
            ("s2", "Supplier 2", "mining", "", False, True, 10.0),
            ("s3", "Supplier 3", "mining", "", False, True, 5.0),
            ("o1", "Outside 1", "ore", "", False, False, 0.0),
            ("b1", "Buyer 1", "trade", "", False, True, 20.0),
            ("ob", "Outside buyers", "cars", "", False, False, 0.0),
        ]
    )
    links = _links(
        [
            ("s1", "L1", 20.0, "ore"),
            ("o1", "L1", 30.0, "ore"),
            ("L2", "L1", 10.0, "steel"),
            ("L1", "b1", 15.0, "cars"),
            ("L1", "ob", 45.0, "cars"),
            ("s1", "L2", 5.0, "ore"),
            ("s2", "s1", 8.0, "mining"),
            ("s3", "s1", 2.0, "mining"),
        ]
    )
    return nw.firm_graph(firms, links)


# --------------------------------------------------------------------------- local supporting rate
def test_local_supporting_rate_by_hand(small):
    r = nw.local_supporting_rate(small)
    # L1: purchases 60, local 30 → 0.5; sales 60, local 15 → 0.25; both 45/120 = 0.375
    assert r.loc["L1", ["upstream", "downstream", "both"]].tolist() == pytest.approx([0.5, 0.25, 0.375])
    # L2: purchases 5 all local; sales 10 to L1 (local) → 1, 1, 1
    assert r.loc["L2", ["upstream", "downstream", "both"]].tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert r["meets_target"].tolist() == [True, True]
    assert not nw.local_supporting_rate(small, "L1", target=0.4).loc["L1", "meets_target"]
    lone = nw.local_supporting_rate(small, "s2")  # any firm can be measured; no purchases → NaN upstream
    assert np.isnan(lone.loc["s2", "upstream"]) and lone.loc["s2", "downstream"] == 1.0
    with pytest.raises(NetworkDataError, match="not a firm"):
        nw.local_supporting_rate(small, "zz")


def test_parallel_links_are_summed():
    firms = _firms([("L", "L", "x", "", True, True, 1.0), ("s", "s", "y", "", False, False, 1.0)])
    g = nw.firm_graph(firms, _links([("s", "L", 1.0, "p"), ("s", "L", 2.0, "q")]))
    assert g.edges["s", "L"]["value"] == 3.0 and g.edges["s", "L"]["products"] == ["p", "q"]
    assert nw.local_supporting_rate(g).loc["L", "upstream"] == 0.0


# --------------------------------------------------------------------------- critical suppliers and cuts
def test_critical_suppliers_by_hand(small):
    c = nw.critical_suppliers(small, "L1", depth=None)
    # s1 is the only path for s2 and s3 → dominates 2; it is also an articulation point
    assert c.loc["s1", "cut_off"] == 2 and c.loc["s1", "articulation"]
    assert c.index[0] == "s1"
    assert c.loc["s2", "cut_off"] == 0 and not c.loc["s2", "articulation"]
    # steel is bought only from L2: single source; ore has two suppliers, s1 is its only local one
    assert c.loc["L2", "single_source"] == ["steel"]
    assert c.loc["s1", "single_source"] == [] and c.loc["s1", "sole_local_source"] == ["ore"]
    assert c.loc["s1", "direct_share"] == pytest.approx(20 / 60)
    assert set(nw.critical_suppliers(small, "L1", depth=1).index) == {"s1", "o1", "L2"}
    with pytest.raises(NetworkDataError, match="depth"):
        nw.critical_suppliers(small, "L1", depth=0)


def _brute_force_min_cut(g: nx.DiGraph, origins, leader):
    """Smallest total value of links whose removal disconnects every origin from the leader (enumeration)."""
    edges = list(g.edges)
    best = (np.inf, None)
    for k in range(len(edges) + 1):
        for cut in itertools.combinations(edges, k):
            h = g.copy()
            h.remove_edges_from(cut)
            if not any(nx.has_path(h, o, leader) for o in origins):
                value = sum(g.edges[e]["value"] for e in cut)
                if value < best[0]:
                    best = (value, set(cut))
    return best


def _brute_force_node_cut(g: nx.DiGraph, origins, leader):
    nodes = [n for n in g if n != leader]
    for k in range(1, len(nodes) + 1):
        for cut in itertools.combinations(nodes, k):
            h = g.copy()
            h.remove_nodes_from(cut)
            alive = [o for o in origins if o in h]
            if not any(nx.has_path(h, o, leader) for o in alive):
                return k
    return None


def test_supply_cut_against_enumeration(small):
    cut = nw.supply_cut(small, "L1")
    assert cut.origins == ["o1", "s2", "s3"]
    sub = small.subgraph(nx.ancestors(small, "L1") | {"L1"})
    value, links = _brute_force_min_cut(nx.DiGraph(sub), cut.origins, "L1")
    # origins o1 (30 direct) and s2, s3 (10 via s1): the cheapest cut is o1→L1 plus s2→s1 and s3→s1 = 40
    assert cut.value == pytest.approx(value) == pytest.approx(40.0)
    assert set(cut.links) == links == {("o1", "L1"), ("s2", "s1"), ("s3", "s1")}
    assert len(cut.firms) == _brute_force_node_cut(nx.DiGraph(sub), cut.origins, "L1") == 2
    assert cut.firms == {"o1", "s1"}


def test_shared_suppliers(small):
    shared = nw.shared_suppliers(small)
    assert list(shared.index) == ["s1"]
    assert shared.loc["s1", "leaders"] == ["L1", "L2"] and shared.loc["s1", "value"] == 25.0


# --------------------------------------------------------------------------- bad data
GOOD = dict(
    id=["a", "b"],
    name=["A", "B"],
    sector=["s", "s"],
    pillar=["", ""],
    is_chain_leader=[True, False],
    is_local=[True, False],
    output=[1.0, 2.0],
)


@pytest.mark.parametrize(
    "firms, links, message",
    [
        ({**GOOD, "id": ["a", "a"]}, None, r"firms row 1: duplicate id 'a' \(first at firms row 0\)"),
        ({**GOOD, "id": ["a", ""]}, None, r"firms row 1: id is empty"),
        ({**GOOD, "output": [1.0, -2.0]}, None, r"firms row 1 \('b'\): output is negative"),
        ({**GOOD, "output": [1.0, np.nan]}, None, r"firms row 1 \('b'\): output is nan"),
        ({**GOOD, "is_local": [True, "maybe"]}, None, r"firms row 1: is_local must be true or false"),
        ({k: v for k, v in GOOD.items() if k != "sector"}, None, r"firms lacks column\(s\) \['sector'\]"),
        (GOOD, _links([("a", "b", 1.0, "p"), ("zz", "b", 1.0, "p")]), r"links row 1: supplier 'zz' is not a firm"),
        (GOOD, _links([("a", "b", -3.0, "p")]), r"links row 0 \(a → b\): value is negative \(-3\)"),
        (GOOD, _links([("a", "b", "lots", "p")]), r"links row 0 \(a → b\): value must be a number"),
        (GOOD, _links([("a", "a", 1.0, "p")]), r"links row 0: firm 'a' is linked to itself"),
        (
            GOOD,
            pd.DataFrame({"supplier": ["a"], "buyer": ["b"], "value": [1.0]}),
            r"links lacks column\(s\) \['product'\]",
        ),
    ],
)
def test_bad_firm_data_names_the_row(firms, links, message):
    links = _links([("a", "b", 1.0, "p")]) if links is None else links
    with pytest.raises(NetworkDataError, match=message):
        nw.firm_graph(pd.DataFrame(firms), links)


def test_csv_errors_name_the_line(tmp_path):
    pd.DataFrame(GOOD).to_csv(tmp_path / "firms.csv", index=False)
    _links([("a", "b", 1.0, "p"), ("a", "b", 2.0, "p"), ("b", "c", 1.0, "p")]).to_csv(
        tmp_path / "links.csv", index=False
    )
    with pytest.raises(NetworkDataError, match=r"links row 2 \(.*links\.csv, line 4\): buyer 'c'"):
        nw.read_firms(tmp_path)
    with pytest.raises(NetworkDataError, match="no firms.csv"):
        nw.read_firms(tmp_path / "nowhere")
    with pytest.raises(NetworkDataError, match="shipped ones"):
        nw.load_firms("nowhere")


# --------------------------------------------------------------------------- the illustrative dataset
@pytest.fixture(scope="module")
def illustrative():
    return nw.load_firms("xianning-illustrative")


def test_illustrative_data_are_labelled_everywhere(illustrative):
    assert illustrative.metadata["status"] == "illustrative"
    assert (illustrative.firms["status"] == "illustrative").all() and (
        illustrative.links["status"] == "illustrative"
    ).all()
    assert "ILLUSTRATIVE" in (DATA / "PROVENANCE.md").read_text(encoding="utf-8")
    assert nw.firm_graph(illustrative.firms, illustrative.links).graph["status"] == "illustrative"
    leaders = illustrative.firms[illustrative.firms["is_chain_leader"]]
    for name in (
        "金盛兰",
        "南玻",
        "维达力",
        "三赢兴",
        "平安电工",
        "三环方向机",
        "稳健医疗",
        "金士达医疗",
        "黄鹤楼酒业",
        "元气森林",
        "红牛",
        "华润电力",
    ):
        assert leaders["name_zh"].str.contains(name).any(), name


def test_illustrative_totals_agree_with_the_table(illustrative):
    t = xn_io.load_table(illustrative.metadata["table"])
    imp = nw.imported_inputs(
        t, reference=nw.reference_coefficients(t, xn_io.load_table(illustrative.metadata["reference"]))
    )
    firms = illustrative.firms.set_index("id")
    links = illustrative.links
    # the firms of each sector add up to the sector's output
    local = firms[firms["is_local"]]
    assert np.allclose(local.groupby("sector")["output"].sum().reindex(t.sectors), t.x, rtol=1e-6)
    sector = firms["sector"]
    rates = nw.local_supporting_rate(nw.firm_graph(illustrative.firms, illustrative.links))
    for fid, f in firms[firms["is_chain_leader"]].iterrows():
        share = f["output"] / t.x[f["sector"]]
        bought = links[links["buyer"] == fid].assign(local=lambda d: d["supplier"].map(firms["is_local"]))
        by_local = bought[bought["local"]].groupby("product")["value"].sum().reindex(t.sectors, fill_value=0.0)
        by_outside = bought[~bought["local"]].groupby("product")["value"].sum().reindex(t.sectors, fill_value=0.0)
        assert np.allclose(by_local, t.Z[f["sector"]] * share, atol=1e-5), fid
        assert np.allclose(by_outside, imp[f["sector"]] * share, atol=1e-5), fid
        sold = links[links["supplier"] == fid]
        to_local = sold[sold["buyer"].map(firms["is_local"])].groupby(sold["buyer"].map(sector))["value"].sum()
        assert np.allclose(to_local.reindex(t.sectors, fill_value=0.0), t.Z.loc[f["sector"]] * share, atol=1e-5), fid
        outside = sold[~sold["buyer"].map(firms["is_local"])]["value"].sum()
        assert outside == pytest.approx(t.Y.loc[f["sector"], "exports"] * share, abs=1e-5)
        # hence the upstream rate is the sector's regional share of intermediate inputs
        z, m = t.Z[f["sector"]].sum(), t.M.loc["imports", f["sector"]]
        assert rates.loc[fid, "upstream"] == pytest.approx(z / (z + m), abs=1e-6)


def test_rebuild_reproduces_the_committed_files(tmp_path):
    spec = importlib.util.spec_from_file_location("build_firms", ROOT / "tables" / "build_firms_illustrative.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    target = module.write(tmp_path)
    for name in ("firms.csv", "links.csv"):  # numbers to the rounding of the files, text exactly
        pd.testing.assert_frame_equal(
            pd.read_csv(target / name, keep_default_na=False),
            pd.read_csv(DATA / name, keep_default_na=False),
            check_exact=False,
            rtol=1e-9,
            atol=2e-6,
        )
    assert (target / "PROVENANCE.md").read_text(encoding="utf-8") == (DATA / "PROVENANCE.md").read_text(
        encoding="utf-8"
    )
    fresh, committed = (tomllib.loads((d / "metadata.toml").read_text(encoding="utf-8")) for d in (target, DATA))
    fresh.pop("checksums"), committed.pop("checksums")
    assert fresh == committed
    with pytest.raises(OverwriteError):
        module.write(tmp_path)


def test_committed_files_match_their_checksums():
    meta = tomllib.loads((DATA / "metadata.toml").read_text(encoding="utf-8"))
    assert meta["status"] == "illustrative"
    for name, digest in meta["checksums"].items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, (
            f"{name} was edited by hand; rebuild it"
        )


# --------------------------------------------------------------------------- drawings
def test_chain_drawing_png_svg_and_no_overwrite(tmp_path):
    t = xn_io.load_table("xianning-2025")
    chain = nw.pillar_chain(nw.sector_graph(t), "green_new_materials", threshold=0.03)
    paths = nw.save_chain_drawing(chain, tmp_path / "chain", status="ESTIMATE")
    assert [p.name for p in paths] == ["chain.png", "chain.svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in paths[1].read_text(encoding="utf-8")[:2000]
    before = paths[0].read_bytes()
    with pytest.raises(OverwriteError):
        nw.save_chain_drawing(chain, tmp_path / "chain.png")
    assert paths[0].read_bytes() == before
    assert not list(tmp_path.glob(".*tmp"))


def test_example_refuses_an_existing_folder(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("chain_leaders", ROOT / "examples" / "chain_leaders.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "drawings"
    assert module.main([str(out)]) == 0
    text = capsys.readouterr().out
    assert "ILLUSTRATIVE" in text and "30%" in text and "ESTIMATE" in text
    assert len(list(out.glob("*.png"))) == len(list(out.glob("*.svg"))) == 5
    assert module.main([str(out)]) == 2


# --------------------------------------------------------------------------- properties on random small networks
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def small_networks(draw):
    n = draw(st.integers(3, 6))
    ids = [f"f{i}" for i in range(n)]
    local = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    pairs = [(a, b) for a in ids for b in ids if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=7, unique=True))
    values = draw(st.lists(st.floats(0.1, 100.0), min_size=len(chosen), max_size=len(chosen)))
    firms = _firms([(f, f, "s", "", i == 0, loc, 1.0) for i, (f, loc) in enumerate(zip(ids, local))])
    links = _links([(a, b, v, "p") for (a, b), v in zip(chosen, values)])
    return nw.firm_graph(firms, links)


@settings(max_examples=60, deadline=None)
@given(small_networks())
def test_rates_and_cuts_on_random_networks(g):
    r = nw.local_supporting_rate(g, "f0").loc["f0"]
    rates = [v for v in (r["upstream"], r["downstream"]) if not np.isnan(v)]
    if rates:  # both is the value-weighted mean of the two directions
        assert min(rates) - 1e-12 <= r["both"] <= max(rates) + 1e-12
    cut = nw.supply_cut(g, "f0")
    if cut.origins:
        sub = nx.DiGraph(g.subgraph(nx.ancestors(g, "f0") | {"f0"}))
        value, _ = _brute_force_min_cut(sub, cut.origins, "f0")
        assert cut.value == pytest.approx(value)
        h = sub.copy()
        h.remove_edges_from(cut.links)
        assert not any(nx.has_path(h, o, "f0") for o in cut.origins)
        assert len(cut.firms) == _brute_force_node_cut(sub, cut.origins, "f0")
