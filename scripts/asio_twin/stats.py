"""The statistics, as thin wrappers: nothing here is computed by hand.

Significance is the Mann-Whitney U test over repetitions, exactly as Google
Benchmark's tools/compare.py does it (gbench.report.calc_utest, which calls
scipy.stats.mannwhitneyu, two-sided, with at least 2 repetitions a side and
alpha 0.05). Medians, quartiles and the coefficient of variation come from
numpy; geometric means from scipy.stats.gmean.

scipy is not installed as a Debian package here (see scripts/setup: its
pythran dependency conflicts with Boost 1.81); it is unpacked into a private
folder, which this module adds to sys.path. gbench is Debian's
libbenchmark-tools (/usr/share/benchmark).
"""

from __future__ import annotations

import functools
import math
import sys
import warnings
from dataclasses import dataclass

import numpy

SCIPY_DIR = "/opt/asio-twin/scipy/usr/lib/python3/dist-packages"
GBENCH_DIR = "/usr/share/benchmark"
for _folder in (SCIPY_DIR, GBENCH_DIR):
    if _folder not in sys.path:
        sys.path.append(_folder)

from scipy import stats as _scipy  # noqa: E402

try:
    from gbench import report as _gbench  # noqa: E402
except ImportError:  # libbenchmark-tools missing: the same test, straight from scipy
    _gbench = None

ALPHA = 0.05  # Google Benchmark's default --alpha
MIN_REPETITIONS = getattr(_gbench, "UTEST_MIN_REPETITIONS", 2)
OPTIMAL_REPETITIONS = getattr(_gbench, "UTEST_OPTIMAL_REPETITIONS", 9)
NOISY_CV = 0.10  # coefficient of variation above which a measurement is noisy


@dataclass(frozen=True)
class Spread:
    """Where a set of repetitions lies."""

    n: int
    median: float
    minimum: float
    maximum: float
    q1: float
    q3: float
    cv: float | None  # sample standard deviation / mean; None for fewer than 2

    @property
    def noisy(self) -> bool:
        return self.cv is not None and self.cv > NOISY_CV


def spread(values: list[float]) -> Spread | None:
    """Median, range, quartiles and coefficient of variation; None if empty."""
    if not values:
        return None
    a = numpy.asarray(values, dtype=float)
    q1, median, q3 = numpy.percentile(a, [25, 50, 75])
    mean = float(numpy.mean(a))
    cv = float(numpy.std(a, ddof=1) / mean) if len(a) >= 2 and mean else None
    return Spread(len(a), float(median), float(a.min()), float(a.max()), float(q1), float(q3), cv)


def utest(a: list[float], b: list[float]) -> float | None:
    """Two-sided Mann-Whitney U p-value of `a` against `b`, as gbench's
    compare.py computes it; None with fewer than MIN_REPETITIONS a side."""
    if min(len(a), len(b)) < MIN_REPETITIONS:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if _gbench is not None:
            _, _, p = _gbench.calc_utest([a, b], [a, b])
        else:
            p = _scipy.mannwhitneyu(a, b, alternative="two-sided").pvalue
    return None if p is None or math.isnan(p) else float(p)


def utest_less(a: list[float], b: list[float]) -> float | None:
    """One-sided Mann-Whitney U p-value for "`a` tends to be smaller than
    `b`"; None with fewer than MIN_REPETITIONS a side."""
    if min(len(a), len(b)) < MIN_REPETITIONS:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = _scipy.mannwhitneyu(a, b, alternative="less").pvalue
    return None if math.isnan(p) else float(p)


@functools.lru_cache(maxsize=None)
def smallest_p(n_a: int, n_b: int) -> float | None:
    """The smallest two-sided p-value the U test can give with these sample
    sizes (two completely separated samples): with 3 repetitions a side it is
    0.1, so nothing can be significant at 0.05."""
    if min(n_a, n_b) < MIN_REPETITIONS:
        return None
    return utest([float(i) for i in range(n_a)], [float(n_a + i) for i in range(n_b)])


def change(old: float, new: float) -> float:
    """Relative change from `old` to `new` (0.2 = 20% more), as gbench
    reports it."""
    if _gbench is not None:
        return float(_gbench.calculate_change(old, new))
    return (new - old) / abs(old) if old else 0.0


def geometric_mean(values: list[float]) -> float | None:
    """Geometric mean of positive values; None if there are none."""
    values = [v for v in values if v and v > 0 and math.isfinite(v)]
    return float(_scipy.gmean(values)) if values else None


def median(values: list[float]) -> float | None:
    return float(numpy.median(values)) if values else None
