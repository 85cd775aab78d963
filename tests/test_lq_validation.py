"""The location-quotient validation (benchmarks/lq_validation): readers, data, formulas, stored results.

Oracles: the official Type I multipliers of Scotland and the UK (recomputed from the
extracted flows), location quotients and regional coefficients worked out by hand from
the extracted outputs, error measures recomputed from the stored results, and small
workbook layouts whose every number is known.
"""

from __future__ import annotations

import json
import math
import shutil

import numpy as np
import pandas as pd
import pytest

from benchmarks.lq_validation import __main__ as lq_main
from benchmarks.lq_validation import core, data, run, sources
from xn_io.errors import TableError

RESULTS = data.DATA.parent.parent / "results"


@pytest.fixture(scope="module")
def scot():
    return data.scotland_uk()


@pytest.fixture(scope="module")
def details():
    return json.loads((RESULTS / "lq_validation_details.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the extracted data
def test_checksums_hold_and_a_changed_file_is_named(tmp_path):
    data.verify_checksums()
    copy = tmp_path / "lq"
    shutil.copytree(data.DATA, copy)
    (copy / "uk_2019_industries.csv").write_text("code,output\nA01,1\n")
    with pytest.raises(TableError, match="uk_2019_industries.csv"):
        data.verify_checksums(copy)


def test_extracted_flows_reproduce_the_official_multipliers():
    for flows, info, tol in (
        ("scotland_2019_flows.csv", "scotland_2019_industries.csv", 1e-6),
        ("uk_2019_flows.csv", "uk_2019_industries.csv", 1e-9),
    ):
        Z = pd.read_csv(data.DATA / flows, index_col=0).to_numpy()
        i = pd.read_csv(data.DATA / info, index_col=0)
        A = core.coefficients(Z, i["output"].to_numpy())
        m = np.linalg.inv(np.eye(len(A)) - A).sum(axis=0)  # a second route: the full inverse
        np.testing.assert_allclose(m, i["type1_output_multiplier"].to_numpy(), atol=tol)


def test_hubei_totals_are_the_workbook_totals():
    p = data.provinces(only=["Hubei"])
    totals = {k: p.columns[k][0].sum() / 1e4 for k in ("GO", "EX", "OF", "IM", "IF")}
    assert totals["GO"] == pytest.approx(94458, abs=1)
    assert totals["EX"] == pytest.approx(2328, abs=1)
    assert totals["OF"] == pytest.approx(5079, abs=1)
    assert totals["IM"] == pytest.approx(1069, abs=1)
    assert totals["IF"] == pytest.approx(8885, abs=1)
    assert len(data.provinces(verify=False).names) == 31


def test_concordance_is_a_partition_of_both_tables(scot):
    c = data.concordance()
    scot_codes = pd.read_csv(data.DATA / "scotland_2019_industries.csv", index_col=0).index.tolist()
    uk_codes = pd.read_csv(data.DATA / "uk_2019_industries.csv", index_col=0).index.tolist()
    assert sorted(code for g in c.scotland for code in g) == sorted(scot_codes)
    assert sorted(code for g in c.uk for code in g) == sorted(uk_codes)
    assert len(c.groups) == 94 and int(scot.single.sum()) == 91
    # aggregation keeps totals
    Z = pd.read_csv(data.DATA / "scotland_2019_flows.csv", index_col=0).to_numpy()
    assert scot.Z_scotland.sum() == pytest.approx(Z.sum())
    with pytest.raises(TableError, match="'A01' is in 2 groups"):
        data.aggregation_matrix(["A01", "A02"], [["A01"], ["A01", "A02"]], side="UK")
    with pytest.raises(TableError, match="'B05' is not in the UK table"):
        data.aggregation_matrix(["A01"], [["A01", "B05"]], side="UK")


# --------------------------------------------------------------------------- LQ formulas by hand
def test_location_quotients_on_scotland_by_hand(scot):
    """SLQ, CILQ, FLQ and AFLQ cells worked out from the extracted outputs with plain arithmetic."""
    si = pd.read_csv(data.DATA / "scotland_2019_industries.csv", index_col=0)
    ui = pd.read_csv(data.DATA / "uk_2019_industries.csv", index_col=0)
    uZ = pd.read_csv(data.DATA / "uk_2019_flows.csv", index_col=0)
    xs_tot, xu_tot = si["output"].sum(), ui["output"].sum()
    # G14 alcoholic beverages & tobacco: Scotland's whisky; G55 rail: less concentrated
    bev_s = si.loc[["IOC098_016", "IOC098_017", "IOC098_019"], "output"].sum()
    bev_u = ui.loc["C1101T1106 & C12", "output"]
    rail_s, rail_u = si.loc[si["sic"] == "49.1-2", "output"].item(), ui.loc["H491_2", "output"]
    slq_bev = (bev_s / xs_tot) / (bev_u / xu_tot)
    slq_rail = (rail_s / xs_tot) / (rail_u / xu_tot)
    g = {name: scot.groups[scot.labels.index(name)] for name in ("Alcoholic beverages & tobacco", "Rail transport")}
    ib, ir = scot.groups.index(g["Alcoholic beverages & tobacco"]), scot.groups.index(g["Rail transport"])
    q = core.regional.slq(scot.x_scotland, scot.x_uk)
    assert q[ib] == pytest.approx(slq_bev, rel=1e-12) and slq_bev > 3  # whisky
    assert q[ir] == pytest.approx(slq_rail, rel=1e-12)
    A_uk = core.coefficients(scot.Z_uk, scot.x_uk)
    a_rb = uZ.loc["H491_2", "C1101T1106 & C12"] / bev_u  # UK rail bought per £ of beverages
    assert A_uk[ir, ib] == pytest.approx(a_rb, rel=1e-12)
    ratio = xs_tot / xu_tot
    delta = 0.22
    lam = math.log2(1 + ratio) ** delta
    cilq = slq_rail / slq_bev
    hand = {
        "slq": a_rb * min(slq_rail, 1),
        "cilq": a_rb * min(cilq, 1),
        "flq": a_rb * min(lam * cilq, 1),
        "aflq": a_rb * min(lam * cilq * math.log2(1 + slq_bev), 1),  # the buyer is specialised: SLQ_j > 1
    }
    for method, want in hand.items():
        R = core.estimate(A_uk, scot.x_scotland, scot.x_uk, method, delta=delta, size_ratio=ratio)
        assert R[ir, ib] == pytest.approx(want, rel=1e-12), method
    # a diagonal cell of FLQ: λ* · SLQ_i
    R = core.estimate(A_uk, scot.x_scotland, scot.x_uk, "flq", delta=delta, size_ratio=ratio)
    assert R[ir, ir] == pytest.approx(A_uk[ir, ir] * min(lam * slq_rail, 1), rel=1e-12)


def test_error_measures_by_hand():
    est, true = np.array([1.1, 1.8, 3.0]), np.array([1.0, 2.0, 3.0])
    assert core.mape(est, true) == pytest.approx(100 * (0.1 + 0.1 + 0) / 3)
    assert core.mpe(est, true) == pytest.approx(100 * (0.1 - 0.1 + 0) / 3)
    assert core.theil_u(est, true) == pytest.approx(100 * math.sqrt((0.01 + 0.04) / 14))


def test_supply_pool_by_hand():
    Z = np.array([[10.0, 20.0], [5.0, 0.0]])
    cols = {
        "TIU": np.array([30.0, 5.0]),
        "TC": np.array([50.0, 10.0]),
        "GCF": np.array([20.0, -5.0]),
        "IM": np.array([10.0, 1.0]),
        "IF": np.array([15.0, 20.0]),
        "GO": np.array([100.0, 40.0]),
    }
    R, s, clipped = core.supply_pool(Z, cols)
    # s_1 = 1 − 25/100; s_2 = 1 − 21/10 < 0 → 0 (re-exported), clipped
    np.testing.assert_allclose(s, [0.75, 0.0])
    assert clipped == 1
    np.testing.assert_allclose(R, [[0.75 * 0.1, 0.75 * 0.5], [0.0, 0.0]])
    # over total use TIU + TFU (TFU = TC + GCF + EX + OF): s_1 = 1 − 25/(30 + 90), s_2 = 1 − 21/(5 + 25)
    cols["TFU"] = np.array([90.0, 25.0])
    _, s, clipped = core.supply_pool(Z, cols, use="total")
    np.testing.assert_allclose(s, [1 - 25 / 120, 1 - 21 / 30])
    assert clipped == 0
    with pytest.raises(TableError, match="use must be 'own' or 'total'"):
        core.supply_pool(Z, cols, use="local")


# --------------------------------------------------------------------------- stored results
def test_scotland_errors_recomputed_from_stored_results(scot, details):
    sc = details["scotland"]
    A_uk = core.coefficients(scot.Z_uk, scot.x_uk)
    R_true = core.coefficients(scot.Z_scotland, scot.x_scotland)
    m_true = np.linalg.inv(np.eye(len(R_true)) - R_true).sum(axis=0)
    ratio = scot.x_scotland.sum() / scot.x_uk.sum()
    assert sc["size_ratio"] == pytest.approx(ratio)
    for method in ("slq", "cilq", "flq", "aflq"):
        stored = sc["methods"][method] if method in ("slq", "cilq") else sc["methods"][method]["best"]["mape"]
        R = core.estimate(A_uk, scot.x_scotland, scot.x_uk, method, delta=stored["delta"], size_ratio=ratio)
        m = np.linalg.inv(np.eye(len(R)) - R).sum(axis=0)
        assert stored["mape"] == pytest.approx(100 * np.mean(np.abs(m - m_true) / m_true), rel=1e-9)
        assert stored["u_mult"] == pytest.approx(100 * np.sqrt(((m - m_true) ** 2).sum() / (m_true**2).sum()), rel=1e-9)
        assert stored["u_coef"] == pytest.approx(100 * np.sqrt(((R - R_true) ** 2).sum() / (R_true**2).sum()), rel=1e-9)
        if method in ("flq", "aflq"):
            grid = sc["methods"][method]["grid"]
            assert stored["mape"] == min(grid["mape"])
            # the official multipliers tell the same story
            off = sc["methods"][method]["best"]["mape_official"]
            assert abs(off["delta"] - stored["delta"]) <= 0.02
    # FLQ and AFLQ beat SLQ and CILQ on Scotland by a wide margin, at δ near Flegg's 0.2–0.3
    best = {m: sc["methods"][m]["best"]["mape"] for m in ("flq", "aflq")}
    assert max(b["mape"] for b in best.values()) < 0.7 * min(sc["methods"][m]["mape"] for m in ("slq", "cilq"))
    assert all(0.15 <= b["delta"] <= 0.35 for b in best.values())


@pytest.mark.parametrize("name", ["Tibet", "Hubei", "Guangdong"])
def test_province_errors_recomputed_from_stored_results(details, name):
    entry = next(e for e in details["provinces"]["provinces"] if e["province"] == name)
    P = data.provinces(only=[name])
    full = data.provinces(verify=False)
    A_nat = core.coefficients(P.Z_national_domestic, P.x_national)
    x = P.columns["GO"][0]
    ratio = x.sum() / full.columns["GO"].sum()
    assert entry["size_ratio"] == pytest.approx(ratio)
    use = P.columns["TIU"][0] + P.columns["TC"][0] + P.columns["GCF"][0]
    s = np.clip(1 - (P.columns["IM"][0] + P.columns["IF"][0]) / np.where(use > 0, use, np.inf), 0, 1)
    R_true = s[:, None] * core.coefficients(P.Z[0], x)
    keep = x > 0
    m_true = np.linalg.inv(np.eye(42) - R_true).sum(axis=0)[keep]
    for method in ("slq", "aflq"):
        stored = entry["methods"][method] if method == "slq" else entry["methods"][method]["best"]["mape"]
        R = core.estimate(A_nat, x, P.x_national, method, delta=stored["delta"], size_ratio=ratio)
        m = np.linalg.inv(np.eye(42) - R).sum(axis=0)[keep]
        assert stored["mape"] == pytest.approx(100 * np.mean(np.abs(m - m_true) / m_true), rel=1e-9)


def test_recommendation_follows_from_the_stored_results(details):
    rec = json.loads((RESULTS / "lq_validation.json").read_text(encoding="utf-8"))
    for key in ("recommended_method", "delta", "delta_low", "delta_high"):
        assert key in rec
    assert rec == {**rec, **details["recommendation"]}
    assert rec["delta_low"] <= rec["delta"] <= rec["delta_high"]
    pooled = details["provinces"]["pooled"]
    assert rec["recommended_method"] == min(("flq", "aflq"), key=lambda m: pooled[m]["mean_mape"])
    # the pooled means, recomputed from the provinces' stored grids
    for m in ("flq", "aflq"):
        grid = np.array([e["methods"][m]["grid"]["mape"] for e in details["provinces"]["provinces"]])
        assert pooled[m]["mean_mape"] == pytest.approx(grid.mean(axis=0).min())
    # δ: the least-squares line of the provinces' best δ on ln(R/N), by numpy.polyfit, at Xianning's R/N
    m = rec["recommended_method"]
    e = details["provinces"]["provinces"]
    x = np.log([p["size_ratio"] for p in e])
    y = np.array([p["methods"][m]["best"]["mape"]["delta"] for p in e])
    slope, intercept = np.polyfit(x, y, 1)
    fit = intercept + slope * math.log(rec["size_ratio"])
    assert rec["delta"] == pytest.approx(min(max(fit, 0.0), 0.95), abs=0.005)
    assert rec["lambda"] == pytest.approx(math.log2(1 + rec["size_ratio"]) ** rec["delta"])
    # the sensitivity: the same line over the total-use variant's best δ
    alt = details["provinces_total_use"]["provinces"]
    slope, intercept = np.polyfit(
        np.log([p["size_ratio"] for p in alt]), [p["methods"][m]["best"]["mape"]["delta"] for p in alt], 1
    )
    alt_fit = min(max(intercept + slope * math.log(rec["size_ratio"]), 0.0), 0.95)
    assert rec["delta_if_self_supply_over_total_use"] == pytest.approx(alt_fit, abs=0.005)
    assert rec["delta_low"] <= alt_fit <= rec["delta_high"]  # the range covers the variant
    # the size ratio is the shipped tables'
    import xn_io

    assert rec["size_ratio"] == pytest.approx(
        xn_io.load_table("xianning-2025").x.sum() / xn_io.load_table("china-2020").x.sum()
    )


# --------------------------------------------------------------------------- the run on a slice
def test_run_on_a_tiny_slice(tmp_path):
    doc = run.run(deltas=np.array([0.0, 0.2, 0.4]), only=["Tibet", "Hubei", "Jiangsu"])
    assert [e["province"] for e in doc["provinces"]["provinces"]] == ["Jiangsu", "Hubei", "Tibet"]
    assert doc["scotland"]["methods"]["flq"]["grid"]["delta"] == [0.0, 0.2, 0.4]
    # at δ = 0, FLQ is CILQ
    assert doc["scotland"]["methods"]["flq"]["grid"]["mape"][0] == pytest.approx(
        doc["scotland"]["methods"]["cilq"]["mape"]
    )
    rec = doc["recommendation"]
    assert rec["recommended_method"] in ("flq", "aflq")
    assert 0.0 <= rec["delta_low"] <= rec["delta"] <= rec["delta_high"] <= 0.95
    doc["run"] = {"date": "2026-01-01T00:00:00Z", "commit": "test"}
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\ntext\n")
    lq_main.write(doc, tmp_path / "results", readme)
    for name in (lq_main.DETAILS, lq_main.RECOMMENDATION, lq_main.CHART):
        assert (tmp_path / "results" / name).stat().st_size > 0
    text = readme.read_text()
    assert text.startswith("# Benchmarks\n\ntext\n") and "| Hubei |" in text and "results/lq_validation.png" in text
    lq_main.write(doc, tmp_path / "results", readme)  # a second run replaces the block
    assert readme.read_text().count("lq-validation:start") == 1


# --------------------------------------------------------------------------- readers, on small layouts
def _scottish_frame():
    head = [
        "table",
        "pubdate",
        "year",
        "ioc098_sic",
        "ioc098_short_description",
        "IOC098_001",
        "IOC098_002",
        "TOT_IU",
        "TOT_USE",
    ]
    rows = [
        ["IxI", "d", 2019, "01", "Agriculture", 10.0, 5.0, 15.0, 100.0],
        ["IxI", "d", 2019, "02", "Forestry", 3.0, 20.0, 23.0, 200.0],
        ["IxI", "d", 2019, "TDU", "Total domestic use", 13.0, 25.0, None, None],
        ["IxI", "d", 2019, "RUKImp", "rUK", 2.0, 4.0, None, None],
        ["IxI", "d", 2019, "RoWImp", "RoW", 1.0, 1.0, None, None],
        ["IxI", "d", 2019, "TIU", "TIU", 16.0, 30.0, None, None],
        ["IxI", "d", 2019, "TOut", "Total output", 100.0, 200.0, None, None],
    ]
    return pd.DataFrame([head, *rows], dtype=object)


def test_scottish_reader_on_a_small_layout():
    t = sources.parse_scottish_ixi(_scottish_frame(), year=2019)
    np.testing.assert_array_equal(t.Z, [[10, 5], [3, 20]])
    np.testing.assert_array_equal(t.output, [100, 200])
    np.testing.assert_array_equal(t.imports["ruk"], [2, 4])
    assert t.codes == ["IOC098_001", "IOC098_002"] and t.sic == ["01", "02"]


def test_scottish_reader_names_the_cell():
    f = _scottish_frame()
    f.iat[2, 6] = "n/a"
    with pytest.raises(TableError, match=r"IxI_wide.xlsx, sheet 'IxI_wide', cell G3 \(Scottish-produced flow\)"):
        sources.parse_scottish_ixi(f, year=2019)
    f = _scottish_frame()
    f.iat[3, 5] = 14.0  # TDU of IOC098_001 no longer the column sum
    with pytest.raises(TableError, match=r"column sum of the industry rows = TDU fails at .*cell F4 \(IOC098_001\)"):
        sources.parse_scottish_ixi(f, year=2019)
    with pytest.raises(TableError, match="no rows for year 2018"):
        sources.parse_scottish_ixi(_scottish_frame(), year=2018)


def _uk_frame():
    n = None
    return pd.DataFrame(
        [
            ["2019 Input-Output Analytical Tables", n, n, n, n, n, n, n],
            [n, "SIC", "A01", "T97", "_T", "P3 S1", "P3 S14", "TU"],
            ["A01", "Crops", 5.0, 1.0, n, 10.0, 10.0, 16.0],
            ["T97", "Households", 2.0, 0.0, n, 3.0, 3.0, 5.0],
            ["_T", "Total intermediate", 7.0, 1.0, n, n, n, n],
            [n, "Use of imported products, cif", 3.0, 0.0, n, n, n, n],
            ["P1", "Total output", 16.0, 5.0, n, n, n, n],
        ],
        dtype=object,
    )


def test_uk_reader_on_a_small_layout():
    t = sources.parse_uk_iot(_uk_frame())
    np.testing.assert_array_equal(t.Z, [[5, 1], [2, 0]])
    np.testing.assert_array_equal(t.output, [16, 5])
    np.testing.assert_array_equal(t.imports["all"], [3, 0])
    f = _uk_frame()
    f.iat[2, 7] = 26.0  # TU of A01 no longer row sum + final use (the subtotal P3 S1 is not added)
    with pytest.raises(TableError, match=r"row sum \+ final use = TU fails at .*cell H3 \(A01\)"):
        sources.parse_uk_iot(f)
    f = _uk_frame()
    f.iat[1, 3] = "T98"
    with pytest.raises(TableError, match=r"cell D2: column code 'T98' where the rows have 'T97'"):
        sources.parse_uk_iot(f)
    mult = pd.DataFrame([[None, None, "P1"], ["A01", "Crops", 1.5], ["T97", "Households", "."]], dtype=object)
    got = sources.parse_uk_multipliers(mult, codes=["A01", "T97"])
    assert got[0] == 1.5 and np.isnan(got[1])


def _nbs_frame():
    codes = [f"{k:02d}" for k in range(1, 43)]
    rng = np.random.default_rng(0)
    Z = rng.uniform(0, 10, (42, 42))
    tc, gcf, ex, of, im, inflow = (rng.uniform(0, 50, 42) for _ in range(6))
    tiu = Z.sum(axis=1)
    tfu = tc + gcf + ex + of
    go = tiu + tfu - im - inflow
    head = ["代码", None, "-", *codes, "TIU", "TC", "GCF", "EX", "OF", "TFU", "IM", "IF", "ERR", "GO"]
    rows = [
        [None, f"product {c}", c, *Z[k], tiu[k], tc[k], gcf[k], ex[k], of[k], tfu[k], im[k], inflow[k], 0.0, go[k]]
        for k, c in enumerate(codes)
    ]
    return pd.DataFrame([["湖北2017年投入产出表"] + [None] * (len(head) - 1), head, *rows], dtype=object), go


def test_nbs_reader_on_a_small_layout():
    f, go = _nbs_frame()
    t = sources.parse_nbs_provincial(f, source="17-湖北.xls")
    np.testing.assert_allclose(t.columns["GO"], go)
    f.iat[2, 50] = float(f.iat[2, 50]) + 100.0  # TFU of product 01 breaks GO = TIU + TFU − IM − IF + ERR
    with pytest.raises(TableError, match=r"17-湖北.xls, sheet 'Sheet1': GO = TIU \+ TFU − IM − IF \+ ERR fails"):
        sources.parse_nbs_provincial(f, source="17-湖北.xls")
    f, _ = _nbs_frame()
    f.iat[5, 10] = "—"
    with pytest.raises(TableError, match=r"cell K6 \(intermediate flow\): expected a number, got '—'"):
        sources.parse_nbs_provincial(f, source="17-湖北.xls")
