"""Location quotients tested on real regional data (issue 15).

``python -m benchmarks.lq_validation`` regionalises national coefficients by
SLQ, CILQ, FLQ and AFLQ (:mod:`xn_io.regional`) over a δ grid and scores them
against regions whose true regional coefficients are published:

* Scotland within the UK, 2019 (Scottish-produced flows published apart from
  imports from the rest of the UK), against its true coefficients and its
  official Type I multipliers;
* the 31 Chinese provinces of 2017, whose observed self-supply by product gives
  supply-pool regional coefficients.

Modules: :mod:`~benchmarks.lq_validation.sources` (readers of the official
workbooks), :mod:`~benchmarks.lq_validation.extract` (writes the committed
extracts in ``benchmarks/data/lq_validation/``), :mod:`~benchmarks.lq_validation.data`
(loads them, the UK ↔ Scotland concordance), :mod:`~benchmarks.lq_validation.core`
(error measures, one region's evaluation), :mod:`~benchmarks.lq_validation.run`
(the whole validation and the recommendation rule),
:mod:`~benchmarks.lq_validation.report` (chart, README block). Results:
``benchmarks/results/lq_validation.json`` (the recommendation),
``lq_validation_details.json``, ``lq_validation.png``.
"""
