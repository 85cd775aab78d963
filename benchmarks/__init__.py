"""Side-by-side benchmarks of xn_io against pymrio, numpy, highspy and networkx.

Run ``python -m benchmarks`` (``--quick`` for about a minute); see
``benchmarks/README.md`` for the method, the workloads and the latest results.
Modules: :mod:`~benchmarks.problems` (the tables), :mod:`~benchmarks.harness`
(timing, agreement, peak memory, machine), :mod:`~benchmarks.suites` (the
workloads), :mod:`~benchmarks.analysis` (scaling fits, goals),
:mod:`~benchmarks.report` (README block and chart), :mod:`~benchmarks.worker`
(the memory subprocess).
"""
