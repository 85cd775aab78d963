"""The summary in benchmarks/README.md (Markdown tables) and the log-log scaling chart."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from . import analysis

__all__ = ["chart", "summary_markdown", "update_readme", "START", "END"]

START = "<!-- results:start -->"
END = "<!-- results:end -->"

_STYLE = {
    "xn_io": ("C0", "-", "o"),
    "pymrio": ("C1", "--", "s"),
    "numpy": ("C2", ":", "^"),
    "dense": ("C3", "--", "v"),
    "highspy": ("C1", "--", "s"),
    "xn_io.highspy": ("C0", ":", "x"),
    "networkx": ("C1", "--", "s"),
    "reinvert": ("C1", "--", "s"),
}


def chart(doc: dict[str, Any], path: Path) -> Path:
    """Median time against n, log-log, one panel per suite/workload/kind, one line per implementation."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    series: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r in doc["results"]:
        if r.get("status") != "ok":
            continue
        kind = "sparse 1%" if r["table"].startswith("sparse-") else "dense"
        for impl, t in r["median"].items():
            series[(r["suite"], r["workload"], kind)][impl].append((r["n"], t))
    # a scaling chart needs at least two sizes; single-size cases are in the tables
    panels = sorted(k for k, by_impl in series.items() if len({n for pts in by_impl.values() for n, _ in pts}) >= 2)
    if not panels:
        panels = [("none", "no results", "")]
    cols = 3
    rows = (len(panels) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    for ax, key in zip(axes.flat, panels):
        for impl, pts in sorted(series.get(key, {}).items(), key=lambda kv: kv[0] != "xn_io"):
            pts = sorted(pts)
            color, ls, marker = _STYLE.get(impl, ("C4", "-.", "d"))
            ax.loglog([p[0] for p in pts], [p[1] for p in pts], ls, color=color, marker=marker, ms=4, label=impl)
        ax.set_title(f"{key[0]}: {key[1]} ({key[2]})" if key[2] else key[1], fontsize=9)
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("sectors n", fontsize=8)
        ax.set_ylabel("median time [s]", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(panels) :]:
        ax.axis("off")
    fig.suptitle(f"xn_io and peers, {doc['mode']} run {doc['date'][:10]} — {doc['machine']['cpu']}", fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def _ms(t: float) -> str:
    return f"{t * 1e3:.3g} ms" if t < 1 else f"{t:.3g} s"


def _ratio(v: float) -> str:
    return f"{v:.2f}×" if v >= 0.01 else f"{v:.2g}×"


def summary_markdown(doc: dict[str, Any], json_name: str, chart_name: str) -> str:
    """The generated block of the README: machine, goals, ratio tables, memory, exponents."""
    m = doc["machine"]
    blas = "; ".join(
        f"{b['internal_api']} {b['version']} ({b.get('prefix')}, threads = {b['num_threads']})" for b in m["blas"]
    )
    v = m["versions"]
    lines = [
        (
            f"Run: **{doc['mode']}**"
            f"{' (suites: ' + ', '.join(doc['suites']) + ')' if doc.get('tag') else ''}"
            f"{'' if doc.get('complete', True) else ' (stopped part-way: suites after the last listed did not run)'}, "
            f"{doc['date']}, {doc['elapsed_seconds']} s in all; raw numbers in "
            f"[`results/{json_name}`](results/{json_name})."
        ),
        "",
        (
            f"Machine: {m['cpu']}, {m['logical_cpus']} logical CPUs ({m['affinity_cpus']} usable), {m['memory_gib']} GiB; "
            f"{m['platform']}; Python {m['python']}. BLAS: {blas}. "
            f"numpy {v['numpy']}, scipy {v['scipy']}, pandas {v['pandas']}, pymrio {v['pymrio']}, pyomo {v['pyomo']}, "
            f"highspy {v['highspy']}, networkx {v['networkx']}; xn_io at commit `{(m['git_commit'] or '?')[:10]}`."
        ),
        "",
        (
            "Every ratio is *peer median time / xn_io median time*, both measured interleaved in the same run; "
            "in brackets the same ratio of the fastest calls, a check on the noise "
            f"(rounds: about {doc['method']['budget_seconds_per_case']:g} s per case, between 3 and {doc['method']['max_rounds']}): above 1, xn_io is faster."
        ),
        "",
        "### Goals (issues 9 and 19)",
        "",
        "| goal | table | target | measured | met |",
        "|---|---|---|---|---|",
    ]
    for g in doc["goals"]:
        met = "—" if g["met"] is None else ("yes" if g["met"] else "**no**")
        measured = "—" if g["measured"] is None else str(g["measured"])
        detail = f" ({g['detail']})" if g["detail"] else ""
        lines.append(f"| {g['goal']} | {g['table']} | {g['target']} | {measured}{detail} | {met} |")
    by_workload: dict[tuple, list] = defaultdict(list)
    for r in doc["results"]:
        by_workload[(r["suite"], r["workload"])].append(r)
    for (suite, workload), rows in by_workload.items():
        peers = sorted({p for r in rows if r.get("status") == "ok" for p in r["ratio"]})
        lines += [
            "",
            f"### {suite}: {workload}",
            "",
            "| table | n | xn_io (median) | " + " | ".join(f"{p} / xn_io" for p in peers) + " | max rel. diff |",
            "|---|---|---|" + "---|" * len(peers) + "---|",
        ]
        for r in rows:
            if r.get("status") != "ok":
                lines.append(
                    f"| {r['table']} | {r['n']} | {r.get('status')}: {r.get('message', '')} |" + " |" * (len(peers) + 1)
                )
                continue
            cells = [
                f"{_ratio(r['ratio'][p])} ({_ratio(r['min'][p] / r['min']['xn_io'])})" if p in r["ratio"] else "—"
                for p in peers
            ]
            diff = max(r["agreement"].values(), default=0.0)
            lines.append(
                f"| {r['table']} | {r['n']} | {_ms(r['median']['xn_io'])} | " + " | ".join(cells) + f" | {diff:.1e} |"
            )
    phase_rows = [r for r in doc["results"] if r.get("status") == "ok" and r.get("extra", {}).get("phases")]
    if phase_rows:
        lines += [
            "",
            "### Phases (median seconds per call)",
            "",
            "| suite | workload | table | phases |",
            "|---|---|---|---|",
        ]
        for r in phase_rows:
            cells = []
            for impl, ph in analysis.phase_medians(r).items():
                cells.append(f"{impl}: " + ", ".join(f"{k} {v:.3g}" for k, v in ph.items()))
            lines.append(f"| {r['suite']} | {r['workload']} | {r['table']} | " + "; ".join(cells) + " |")
    mem_rows = [r for r in doc["results"] if r.get("memory")]
    if mem_rows:
        lines += [
            "",
            "### Peak memory (RSS of a fresh process while the workload ran once, inputs included)",
            "",
            "| workload | table | " + " | ".join(["implementation: peak MiB (increase over start)"]) + " |",
            "|---|---|---|",
        ]
        for r in mem_rows:
            cells = []
            for impl, mem in r["memory"].items():
                cells.append(
                    f"{impl} {mem['peak_mib']:.0f} (+{mem['increment_mib']:.0f})"
                    if "peak_mib" in mem
                    else f"{impl}: {mem.get('error')}"
                )
            lines.append(f"| {r['workload']} | {r['table']} | " + "; ".join(cells) + " |")
    if doc["scaling"]:
        lines += [
            "",
            "### Scaling: fitted exponent of time against n (n ≥ 400; LP n ≥ 100)",
            "",
            "| suite | workload | kind | implementation | exponent | n range | points |",
            "|---|---|---|---|---|---|---|",
        ]
        for s in doc["scaling"]:
            lines.append(
                f"| {s['suite']} | {s['workload']} | {s['kind']} | {s['impl']} | {s['exponent']} | {s['n_min']}–{s['n_max']} | {s['points']} |"
            )
    if doc["unavailable"]:
        lines += ["", "### Not yet available", ""]
        lines += [f"- **{k}**: {reason}" for k, reason in doc["unavailable"].items()]
    lines += ["", f"![median time against n, log-log](results/{chart_name})"]
    return "\n".join(lines)


def update_readme(
    readme: Path, doc: dict[str, Any], json_path: Path, chart_path: Path, *, block: str = "results"
) -> None:
    """Replace the block between the ``block`` markers of ``readme`` (append one if it has none)."""
    start, end = f"<!-- {block}:start -->", f"<!-- {block}:end -->"
    summary = summary_markdown(doc, json_path.name, chart_path.name)
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    new = f"{start}\n{summary}\n{end}"
    if start in text and end in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: new, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n## Latest results\n\n" + new + "\n"
    tmp = readme.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, readme)
