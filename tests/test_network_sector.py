"""xn_io.network at sector level: the graph against the table, imports by product, centrality, chains, gaps."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import xn_io
from xn_io import network as nw
from xn_io.errors import NetworkDataError, NotProductiveError, TableError

from .conftest import random_balanced


def _table(Z, Y, M=None, pillars=None, sectors=None, **kw):
    sectors = sectors or [f"s{i}" for i in range(len(Z))]
    Zf = pd.DataFrame(np.asarray(Z, float), index=sectors, columns=sectors)
    Yf = pd.DataFrame(np.asarray(Y, float).reshape(len(sectors), -1), index=sectors)
    Yf.columns = [f"fd{k}" for k in range(Yf.shape[1])]
    Mf = None if M is None else pd.DataFrame([M], index=["imports"], columns=sectors)
    return xn_io.IOTable(Zf, Yf, M=Mf, pillars=pillars, **kw)


@pytest.fixture
def chain_table() -> xn_io.IOTable:
    """ore → steel → cars, with imports of ore into steel and of parts into cars (hand-checkable)."""
    s = ["ore", "steel", "parts", "cars"]
    Z = [[0, 20, 0, 0], [0, 0, 10, 30], [0, 0, 0, 40], [0, 0, 0, 0]]
    Y = [30, 50, 50, 200]
    M = [0, 30, 10, 60]
    pillars = pd.DataFrame({"sector": ["steel", "cars"], "pillar": ["materials", "auto"], "share": [1.0, 1.0]})
    return _table(Z, Y, M, pillars, sectors=s)


# --------------------------------------------------------------------------- the graph reproduces the table
def test_sector_graph_reproduces_coefficients_of_a_random_table():
    rng = np.random.default_rng(7)
    Z, Y, V, x = random_balanced(rng, 12, density=0.6)
    t = xn_io.IOTable.from_arrays(Z, Y, x=x, value_added=V)
    g = nw.sector_graph(t)
    A = Z / x[None, :]  # naive technical coefficients
    off = [(i, j) for i in range(12) for j in range(12) if i != j and Z[i, j] > 0]
    assert g.number_of_edges() == len(off)
    for i, j in off:
        d = g.edges[f"s{i}", f"s{j}"]
        assert d["coefficient"] == pytest.approx(A[i, j], rel=1e-12)
        assert d["flow"] == pytest.approx(Z[i, j], rel=1e-12)
        assert d["allocation"] == pytest.approx(Z[i, j] / x[i], rel=1e-12)
        assert d["distance"] == pytest.approx(-math.log(A[i, j]), rel=1e-12)
    for j in range(12):
        assert g.nodes[f"s{j}"]["output"] == pytest.approx(x[j])
        assert g.nodes[f"s{j}"]["value_added"] == pytest.approx(V[:, j].sum())
        assert g.nodes[f"s{j}"]["output_multiplier"] == pytest.approx(np.linalg.inv(np.eye(12) - A)[:, j].sum())
    assert nw.sector_graph(t, self_loops=True).number_of_edges() == int((Z > 0).sum())


def test_thresholds_and_measures(mb_table):
    A = np.array([[0.15, 0.25], [0.20, 0.05]])
    L = np.linalg.inv(np.eye(2) - A)  # second implementation
    g = nw.sector_graph(mb_table, measure="L")
    assert g.edges["agriculture", "manufacturing"]["weight"] == pytest.approx(L[0, 1])
    assert g.edges["manufacturing", "agriculture"]["distance"] == pytest.approx(-math.log(L[1, 0]))
    assert list(nw.sector_graph(mb_table, measure="Z", threshold=300).edges) == [("agriculture", "manufacturing")]
    assert nw.sector_graph(mb_table, measure="A", threshold=0.25).number_of_edges() == 0  # strictly above
    for bad in (dict(measure="B"), dict(threshold=-1.0), dict(threshold=float("nan"))):
        with pytest.raises(TableError):
            nw.sector_graph(mb_table, **bad)


def test_node_import_share_and_proportional_edges(chain_table):
    g = nw.sector_graph(chain_table)
    # cars buy 10 + 30 + 40... no: cars buy steel 30, parts 40 regionally and import 60
    assert g.nodes["cars"]["import_share"] == pytest.approx(60 / (30 + 40 + 60))
    assert g.nodes["ore"]["import_share"] == 0.0
    # proportionality: every input of cars imported in the same share
    assert g.edges["steel", "cars"]["import_share"] == pytest.approx(60 / 130)
    assert g.edges["steel", "cars"]["imported"] == pytest.approx(60 * 30 / 70)
    assert g.graph["imports_method"].startswith("proportional")


# --------------------------------------------------------------------------- imported inputs
def test_imported_inputs_columns_add_up_to_the_imports_row(chain_table):
    ref = pd.DataFrame(0.0, index=chain_table.sectors, columns=chain_table.sectors)
    ref.loc["ore", "steel"] = 0.5  # steel needs 0.5 ore per unit; 0.2 is bought locally → gap 0.3 × 100 = 30
    ref.loc["steel", "cars"] = 0.15
    ref.loc["parts", "cars"] = 0.4
    imp = nw.imported_inputs(chain_table, reference=ref)
    assert np.allclose(imp.sum(axis=0), chain_table.M.loc["imports"])
    assert imp.loc["ore", "steel"] == pytest.approx(30.0)
    # cars: gaps are steel 0.15·200 − 30 = 0 and parts 0.4·200 − 40 = 40, scaled to 60
    assert imp.loc["parts", "cars"] == pytest.approx(60.0) and imp.loc["steel", "cars"] == 0.0
    # parts: no reference gap → falls back to proportionality (its only input is steel)
    assert imp.loc["steel", "parts"] == pytest.approx(10.0)
    assert imp.attrs["status"] == "estimate"


def test_imported_inputs_errors(mb_table, chain_table):
    with pytest.raises(TableError, match="no 'imports' row"):
        nw.imported_inputs(mb_table)
    with pytest.raises(TableError, match="labelled"):
        nw.imported_inputs(chain_table, reference=pd.DataFrame([[0.1]], index=["x"], columns=["x"]))
    bad = pd.DataFrame(-0.1, index=chain_table.sectors, columns=chain_table.sectors)
    with pytest.raises(TableError, match="non-negative"):
        nw.imported_inputs(chain_table, reference=bad)
    orphan = _table([[0, 0], [0, 0]], [10, 10], [0, 5], sectors=["a", "b"])
    with pytest.raises(TableError, match="'b' imports"):
        nw.imported_inputs(orphan)


def test_xianning_reference_reproduces_the_regionalisation_leakage():
    """The xianning-2025 imports row is Σ_i (a*_ij − r_ij) x_j with a* the China 2020 coefficients (its build)."""
    t = xn_io.load_table("xianning-2025")
    ref = nw.reference_coefficients(t, xn_io.load_table("china-2020"))
    gap = (ref * t.x - t.Z).clip(lower=0).sum(axis=0)
    m = t.M.loc["imports"]
    power = list(t.technologies.get("electricity", []))
    others = [s for s in t.sectors if s not in power]
    assert np.allclose(gap[others], m[others], rtol=1e-3)
    imp = nw.imported_inputs(t, reference=ref)
    assert np.allclose(imp.sum(axis=0), m)


def test_reference_coefficients_mapping_errors(mb_table):
    ref = xn_io.IOTable.from_arrays([[1, 2], [0, 1]], [7, 6], sectors=["p1", "p2"])
    with pytest.raises(TableError, match="mapped to no sector"):
        nw.reference_coefficients(mb_table, ref, mapping={"agriculture": ["p1"], "manufacturing": ["p1"]})
    with pytest.raises(TableError, match="not in the reference"):
        nw.reference_coefficients(mb_table, ref, mapping={"agriculture": ["p1", "p9"], "manufacturing": ["p2"]})
    with pytest.raises(TableError, match="no column"):
        nw.reference_coefficients(mb_table, ref)
    # a product shared by two sectors is split on its row by output and copied on its columns
    shared = nw.reference_coefficients(mb_table, ref, mapping={"agriculture": ["p1", "p2"], "manufacturing": ["p2"]})
    # x_ref = (10, 7); p2 row weights by table output 1000 : 2000 → agriculture gets 1/3 of it
    assert shared.loc["agriculture", "manufacturing"] == pytest.approx((2 + 1 / 3) / 7)
    assert shared.loc["manufacturing", "agriculture"] == pytest.approx((2 / 3 * (0 + 1)) / (10 + 7))


# --------------------------------------------------------------------------- key sectors and links
def _naive_pagerank(W: np.ndarray, alpha: float = 0.85, iters: int = 500) -> np.ndarray:
    n = W.shape[0]
    out = W.sum(axis=1)
    p = np.full(n, 1.0 / n)
    for _ in range(iters):
        nxt = np.full(n, (1 - alpha) / n)
        for i in range(n):
            if out[i] > 0:
                nxt += alpha * p[i] * W[i] / out[i]
            else:
                nxt += alpha * p[i] / n
        p = nxt
    return p


def test_key_sectors_against_naive_implementations():
    rng = np.random.default_rng(3)
    Z, Y, V, x = random_balanced(rng, 6, density=0.7)
    t = xn_io.IOTable.from_arrays(Z, Y, x=x, value_added=V)
    k = nw.central_sectors(nw.sector_graph(t)).loc[list(t.sectors)]
    W = Z * (1 - np.eye(6))
    assert np.allclose(k["in_strength"], W.sum(axis=0))
    assert np.allclose(k["out_strength"], W.sum(axis=1))
    assert np.allclose(k["pagerank"], _naive_pagerank(W), atol=1e-6)
    assert np.allclose(k["pagerank_supplier"], _naive_pagerank(W.T), atol=1e-6)


def test_betweenness_on_a_hand_checked_chain():
    # a → b → c: b is on the only a–c path, 1 of the 2 ordered pairs not involving b → 0.5 normalised
    t = xn_io.IOTable.from_arrays([[0, 8, 0], [0, 0, 6], [0, 0, 0]], [2, 4, 9], sectors=["a", "b", "c"])
    k = nw.central_sectors(nw.sector_graph(t))
    assert k.loc["b", "betweenness"] == pytest.approx(0.5)
    assert k.loc["a", "betweenness"] == 0.0


def test_key_link_elasticity_matches_finite_differences():
    rng = np.random.default_rng(11)
    Z, Y, V, x = random_balanced(rng, 5)
    t = xn_io.IOTable.from_arrays(Z, Y, x=x, value_added=V)
    links = nw.key_links(nw.sector_graph(t), top=None)
    A = Z / x[None, :]
    y = Y.sum(axis=1)
    total = np.linalg.solve(np.eye(5) - A, y).sum()
    for row in links.head(4).itertuples():
        i, j = int(row.supplier[1:]), int(row.buyer[1:])
        h = 1e-6
        A2 = A.copy()
        A2[i, j] *= 1 + h
        numeric = (np.linalg.solve(np.eye(5) - A2, y).sum() / total - 1) / h
        assert row.elasticity == pytest.approx(numeric, rel=1e-4)
    assert list(links["elasticity"]) == sorted(links["elasticity"], reverse=True)


# --------------------------------------------------------------------------- chains and communities
def test_pillar_chain_roles_and_threshold(chain_table):
    g = nw.sector_graph(chain_table)
    chain = nw.pillar_chain(g, "auto", threshold=0.1, direction="upstream")
    # cars (x=200): steel 30/200 = 0.15, parts 40/200 = 0.2; steel (x=100) buys ore 0.2; parts (x=100) buys steel 0.1
    assert dict(chain.nodes(data="role")) == {
        "ore": "upstream",
        "steel": "upstream",
        "parts": "upstream",
        "cars": "pillar",
    }
    assert chain.nodes["ore"]["depth"] == 2
    assert nx.is_directed_acyclic_graph(chain)
    tight = nw.pillar_chain(g, "auto", threshold=0.18, direction="upstream")
    assert set(tight) == {"cars", "parts"} and set(tight) <= set(chain)
    down = nw.pillar_chain(g, "materials", threshold=0.25, direction="downstream")
    # steel (x=100) sells parts 10 (0.1) and cars 30 (0.3)
    assert dict(down.nodes(data="role")) == {"steel": "pillar", "cars": "downstream"}
    assert set(nw.pillar_chains(g)) == {"auto", "materials"}
    with pytest.raises(NetworkDataError, match="pillars are"):
        nw.pillar_chain(g, "tourism")


def _naive_ari(a, b) -> float:
    pairs = list(itertools.combinations(range(len(a)), 2))
    same_a = np.array([a[i] == a[j] for i, j in pairs])
    same_b = np.array([b[i] == b[j] for i, j in pairs])
    n11 = np.sum(same_a & same_b)
    n = len(pairs)
    expected = same_a.sum() * same_b.sum() / n
    top = (same_a.sum() + same_b.sum()) / 2
    return (n11 - expected) / (top - expected)


def test_communities_find_two_blocks_and_compare_with_pillars():
    s = list("abcdef")
    Z = np.zeros((6, 6))
    for block in ([0, 1, 2], [3, 4, 5]):
        for i in block:
            for j in block:
                if i != j:
                    Z[i, j] = 10
    Z[2, 3] = 1
    pillars = pd.DataFrame({"sector": s, "pillar": ["P", "P", "Q", "Q", "Q", "Q"], "share": 1.0})
    t = xn_io.IOTable.from_arrays(Z, [50] * 6, sectors=s, pillars=pillars)
    g = nw.sector_graph(t)
    for method in ("louvain", "greedy"):
        found = nw.communities(g, method=method, seed=1)
        assert found.tolist() == [0, 0, 0, 1, 1, 1]
    cmp = nw.compare_communities(g, found)
    assert cmp.adjusted_rand == pytest.approx(_naive_ari(["P", "P", "Q", "Q", "Q", "Q"], found.tolist()))
    assert cmp.crosstab.loc["Q"].tolist() == [1, 3]
    with pytest.raises(NetworkDataError):
        nw.communities(g, method="spectral")


# --------------------------------------------------------------------------- gaps
@pytest.fixture
def gap_table():
    """One pillar buyer ('make') with three inputs; imports given explicitly by product."""
    s = ["a", "b", "c", "make"]
    Z = np.zeros((4, 4))
    Z[0, 3], Z[1, 3], Z[2, 3] = 10, 20, 5
    Y = [40, 30, 45, 200]
    M = [0, 0, 0, 65]
    pillars = pd.DataFrame({"sector": ["make"], "pillar": ["P"], "share": [1.0]})
    t = _table(Z, Y, M, pillars, sectors=s)
    imp = pd.DataFrame(0.0, index=s, columns=s)
    imp.loc[["a", "b", "c"], "make"] = [30, 15, 20]
    return t, imp


def test_gap_ranking_moves_with_import_shares(gap_table):
    t, imp = gap_table
    gaps = nw.chain_gaps(t, "P", imports=imp, local_share=None)
    # shares: a 30/40 = 0.75, b 15/35 = 0.43 (not mostly imported), c 20/25 = 0.8
    assert list(gaps.index) == ["a", "c"]
    assert gaps.loc["c", "import_share"] == pytest.approx(0.8)
    more = imp.copy()
    more.loc[["a", "c"], "make"] = [15, 35]  # c: 35/40 = 0.875 and now the larger value; a: 15/25 = 0.6
    moved = nw.chain_gaps(t, "P", imports=more, local_share=None)
    assert list(moved.index) == ["c", "a"] and moved.loc["c", "rank"] == 1
    assert list(nw.chain_gaps(t, "P", imports=more, local_share=None, min_import_share=0.7).index) == ["c"]
    assert list(nw.chain_gaps(t, "P", imports=imp, local_share=None, min_import_share=0.0).index) == ["a", "c", "b"]


def test_localisation_gain_is_the_leontief_solution(gap_table):
    t, imp = gap_table
    A = t.A.to_numpy()
    y = t.final_demand.to_numpy()
    x = t.x.to_numpy()
    gain = nw.localisation_gain(t, "P", ["a", "c"], share=0.4, imports=imp)
    A2 = A.copy()
    A2[0, 3] += 0.4 * 30 / x[3]
    A2[2, 3] += 0.4 * 20 / x[3]
    x2 = np.linalg.solve(np.eye(4) - A2, y)  # second implementation
    assert gain["substituted"] == pytest.approx(0.4 * 50)
    assert gain["output_gain"] == pytest.approx((x2 - x).sum())
    va = t.value_added.to_numpy() / x
    assert gain["value_added_gain"] == pytest.approx(va @ (x2 - x))
    assert nw.localisation_gain(t, "P", ["a"], share=0.0, imports=imp)["output_gain"] == 0.0


def test_localisation_gain_first_order_on_xianning():
    t = xn_io.load_table("xianning-2025")
    imp = nw.imported_inputs(t)
    w = nw.pillar_weights(t, "modern_equipment").to_numpy()
    share = 1e-4
    d = np.zeros(t.n)
    i = t.sectors.get_loc("electronics_optoelectronics")
    d[i] = share * imp.to_numpy()[i] @ w
    first_order = np.linalg.solve(np.eye(t.n) - t.A.to_numpy(), d).sum()
    gain = nw.localisation_gain(t, "modern_equipment", ["electronics_optoelectronics"], share=share, imports=imp)
    assert gain["output_gain"] == pytest.approx(first_order, rel=1e-3)
    bigger = nw.localisation_gain(t, "modern_equipment", ["electronics_optoelectronics"], share=0.5, imports=imp)
    assert bigger["output_gain"] > gain["output_gain"] * 1000


def test_gap_errors(gap_table, mb_table):
    t, imp = gap_table
    with pytest.raises(NetworkDataError, match="pillars are"):
        nw.chain_gaps(t, "nope", imports=imp)
    with pytest.raises(NetworkDataError, match="local_share"):
        nw.chain_gaps(t, "P", imports=imp, local_share=1.5)
    with pytest.raises(NetworkDataError, match="not in the table"):
        nw.localisation_gain(t, "P", ["zz"], share=0.1, imports=imp)
    with pytest.raises(TableError, match="non-negative"):
        nw.chain_gaps(t, "P", imports=-imp)
    runaway = imp * 0
    runaway.loc["make", "make"] = 10_000.0
    with pytest.raises(NotProductiveError):
        nw.localisation_gain(t, "P", ["make"], share=1.0, imports=runaway)


def test_network_imports_only_point_down():
    """network sits beside optimize: it imports neither optimize nor report nor cli (DESIGN.md, layers)."""
    import ast
    from pathlib import Path

    root = Path(nw.__file__).parent
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            for name in names:
                for banned in ("optimize", "report", "cli"):
                    assert banned not in name.split("."), f"{path.name} imports {name}"


def test_published_imports_by_product_are_used_as_they_are():
    s = ["a", "b"]
    Z = pd.DataFrame([[10, 20], [30, 0]], index=s, columns=s)
    Y = pd.DataFrame({"fd": [70, 70]}, index=s)
    M = pd.DataFrame([[5, 25], [15, 15]], index=["imports:a", "imports:b"], columns=s)
    t = xn_io.IOTable(Z, Y, M=M)
    imp = nw.imported_inputs(t, reference=pd.DataFrame(9.0, index=s, columns=s))  # the reference is not needed
    assert imp.to_numpy().tolist() == [[5, 25], [15, 15]] and imp.attrs["status"] == "as published"
    g = nw.sector_graph(t)
    assert g.nodes["b"]["import_share"] == pytest.approx(40 / 60)
    assert g.edges["a", "b"]["import_share"] == pytest.approx(25 / 45)
    assert nw.has_imports(t) and not nw.has_imports(xn_io.IOTable(Z, Y))
    bad = xn_io.IOTable(Z, Y, M=M.rename(index={"imports:b": "imports:zz"}))
    with pytest.raises(TableError, match="not sectors"):
        nw.imported_inputs(bad)


def test_sampled_betweenness_equals_exact_when_sampling_every_sector():
    rng = np.random.default_rng(5)
    Z, Y, V, x = random_balanced(rng, 8, density=0.5)
    g = nw.sector_graph(xn_io.IOTable.from_arrays(Z, Y, x=x, value_added=V))
    exact = nw.central_sectors(g)["betweenness"]
    assert np.allclose(nw.central_sectors(g, sample=8)["betweenness"].reindex(exact.index), exact)
    rough = nw.central_sectors(g, sample=4, seed=1)["betweenness"]
    assert (rough >= 0).all() and rough.index.isin(exact.index).all()
    with pytest.raises(NetworkDataError, match="sample"):
        nw.central_sectors(g, sample=0)


def test_central_sectors_samples_betweenness_on_large_graphs_and_is_exact_on_request():
    rng = np.random.default_rng(11)
    Z, Y, V, x = random_balanced(rng, 90, density=0.08)
    g = nw.sector_graph(xn_io.IOTable.from_arrays(Z, Y, x=x, value_added=V))
    exact = nw.central_sectors(g, sample=None)
    assert exact.attrs["betweenness"] == "exact"
    # the oracle: networkx's exact Brandes betweenness on the same lengths
    brandes = pd.Series(nx.betweenness_centrality(g, weight="distance", normalized=True))
    np.testing.assert_allclose(exact["betweenness"], brandes.reindex(exact.index), rtol=1e-12, atol=1e-15)
    default = nw.central_sectors(g)
    assert default.attrs["betweenness"] == f"sampled: {nw.BETWEENNESS_SAMPLE} sources, seed 0"
    est = default["betweenness"].reindex(exact.index)
    assert not np.allclose(est, exact["betweenness"])  # an estimate, not the exact value
    # unbiased estimator from 64 of 90 sources: close to exact, same leading sectors
    assert np.abs(est - exact["betweenness"]).max() < 0.5 * exact["betweenness"].max()
    assert est.corr(exact["betweenness"], method="spearman") > 0.7
    pd.testing.assert_series_equal(nw.central_sectors(g)["betweenness"], default["betweenness"])  # seeded
    # PageRank and strengths do not depend on the sampling
    pd.testing.assert_series_equal(default["pagerank"], exact["pagerank"].reindex(default.index))


def test_large_graph_multipliers_from_the_sparse_route_match_the_dense_lu():
    """From 1,000 sectors the graph's multipliers come from GMRES on the non-zeros; the oracle is a dense LU."""
    rng = np.random.default_rng(3)
    Z, Y, V, x = random_balanced(rng, nw.sector.SPARSE_MULTIPLIERS, density=0.01)
    t = xn_io.IOTable.from_arrays(Z, Y, x=x, value_added=V)
    g = nw.sector_graph(t)
    assert "solver" not in t.__dict__  # the table was not factorised densely
    m = pd.Series(dict(g.nodes(data="output_multiplier")))
    dense = xn_io.leontief.output_multipliers(Z / x[np.newaxis, :])
    np.testing.assert_allclose(m.reindex(t.sectors).to_numpy(), dense, rtol=1e-8)
    # the edges are the non-zero off-diagonal cells, with a_ij = z_ij / x_j
    off = (Z != 0) & ~np.eye(len(x), dtype=bool)
    assert g.number_of_edges() == int(off.sum())
    i, j = np.argwhere(off)[17]
    assert g.edges[t.sectors[i], t.sectors[j]]["coefficient"] == pytest.approx(Z[i, j] / x[j], rel=1e-15)
