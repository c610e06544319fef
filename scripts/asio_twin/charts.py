"""Charts for the report: matplotlib on the Agg backend, rendered to SVG
strings that the report inlines (no image files, nothing fetched).

Every function takes plain numbers and labels and returns one `<svg>`
element as a string. Text is SVG text, not paths (small files, selectable),
escaped by matplotlib; mathtext is off so a `$` in a benchmark name is just
a character. Each chart gets its own id salt, so the ids of clip paths and
markers of the many SVGs inlined in one page never collide.
"""

from __future__ import annotations

import io
import itertools
import math
import re

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, NullFormatter  # noqa: E402

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "text.parse_math": False,
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "legend.frameon": False,
    }
)

# twin, Asio (the report's CSS has the same two) and the raw floor keep their
# colours; every other backend takes the next of PALETTE when first drawn.
COLORS = {"twin": "#2a7ab0", "asio": "#e08a1e", "raw": "#8c8c8c"}
PALETTE = itertools.cycle(["#8a5fbf", "#2ca02c", "#d62728", "#17becf", "#bcbd22"])
VERDICT_COLORS = {
    "faster": "#2e9d4f",
    "improved": "#2e9d4f",
    "slower": "#c43c3c",
    "regressed": "#c43c3c",
    "within noise": "#9a9a9a",
    "n/a": "#cfcfcf",
}
_serial = itertools.count()


def color(backend: str) -> str:
    if backend not in COLORS:
        COLORS[backend] = next(PALETTE)
    return COLORS[backend]


def short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def to_svg(fig: Figure) -> str:
    """The figure as one bare <svg> element (no XML prolog, comments or
    metadata), every id in it prefixed with a prefix unique to this chart:
    matplotlib names its groups figure_1, axes_1, ... in every file, and ids
    must be unique in the page that inlines them all."""
    prefix = f"c{next(_serial)}-"
    matplotlib.rcParams["svg.hashsalt"] = prefix
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'\bid="', f'id="{prefix}', svg)
    svg = re.sub(r'href="#', f'href="#{prefix}', svg)
    svg = re.sub(r"url\(#", f"url(#{prefix}", svg)
    return svg.strip()


def plain_log(axis) -> None:
    """Log-axis tick labels as plain numbers (matplotlib's default writes
    them as mathtext, which is off here)."""
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.6g}"))
    axis.set_minor_formatter(NullFormatter())


def bars(
    title: str,
    groups: list[str],
    series: dict[str, list[tuple[float, float, float] | None]],
    ylabel: str,
) -> str:
    """Grouped bars: one group per label in `groups`, one bar per series
    (backend) with (median, low, high) drawn as bar and whisker. The y axis
    is logarithmic when values span more than 20x."""
    width = max(4.5, 0.35 * len(groups) * max(1, len(series)) + 1.5)
    fig = Figure(figsize=(min(width, 11), 3.2))
    ax = fig.subplots()
    n = max(1, len(series))
    bar = 0.8 / n
    values = [v[0] for vals in series.values() for v in vals if v]
    for i, (name, vals) in enumerate(series.items()):
        xs = [g + (i - (n - 1) / 2) * bar for g in range(len(groups))]
        pts = [(x, v) for x, v in zip(xs, vals) if v]
        if not pts:
            continue
        med = [v[0] for _, v in pts]
        err = [[v[0] - v[1] for _, v in pts], [v[2] - v[0] for _, v in pts]]
        ax.bar(
            [x for x, _ in pts],
            med,
            bar,
            yerr=err if any(err[0] + err[1]) else None,
            capsize=2,
            label=name,
            color=color(name),
            error_kw={"elinewidth": 0.8},
        )
    ax.set_xticks(
        range(len(groups)),
        [short(g) for g in groups],
        rotation=20 if len(groups) > 3 else 0,
        ha="right" if len(groups) > 3 else "center",
    )
    if values and min(values) > 0 and max(values) / min(values) > 20:
        ax.set_yscale("log")
        plain_log(ax.yaxis)
    ax.set_ylabel(ylabel)
    ax.set_title(short(title, 80), pad=22)
    ax.legend(
        fontsize=8, ncols=min(4, n), loc="lower left", bbox_to_anchor=(0, 1.0), borderaxespad=0.2
    )
    return to_svg(fig)


def ratios(
    title: str,
    labels: list[str],
    values: list[float],
    verdicts: list[str],
    reference: float = 1.0,
    xlabel: str = "twin/asio speed (>1: twin faster)",
) -> str:
    """Horizontal bars, one per label, coloured by verdict, on a log axis
    centred on `reference`."""
    fig = Figure(figsize=(7.5, max(1.6, 0.22 * len(labels) + 0.9)))
    ax = fig.subplots()
    ys = range(len(labels))
    ax.barh(
        ys,
        [math.log2(v) if v > 0 else 0 for v in values],
        color=[VERDICT_COLORS.get(v, "#999") for v in verdicts],
        height=0.7,
    )
    ax.axvline(math.log2(reference), color="#333", linewidth=0.8)
    ax.set_yticks(list(ys), [short(label, 55) for label in labels], fontsize=8)
    ax.invert_yaxis()
    lim = max([abs(math.log2(v)) for v in values if v > 0] + [1.0]) * 1.15
    ax.set_xlim(-lim, lim)
    ticks = [t for t in range(-8, 9) if abs(t) <= lim]
    ax.set_xticks(ticks, [f"{2.0 ** t:g}" for t in ticks])
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    return to_svg(fig)


def percentiles(title: str, names: list[str], series: dict[str, list[float | None]]) -> str:
    """Latency percentiles (p50, p99, ...) per backend, log scale, in ns."""
    return bars(
        title,
        names,
        {b: [(v, v, v) if v else None for v in vals] for b, vals in series.items()},
        "latency (ns)",
    )


def curve(
    title: str,
    xlabel: str,
    lines: list[tuple[str, str, list[float], list[float]]],
    ylabel: str = "operations / s",
) -> str:
    """Lines of y over x, one per (label, backend, xs, ys); log x when the
    values span 8x or more."""
    fig = Figure(figsize=(5.2, 3.2))
    ax = fig.subplots()
    styles = itertools.cycle(["-", "--", ":", "-."])
    style_of: dict[str, str] = {}
    for label, backend, xs, ys in lines:
        rest = label[len(backend) :]
        style = style_of.setdefault(rest, next(styles))
        ax.plot(xs, ys, style, marker="o", markersize=3, label=short(label), color=color(backend))
    xs_all = sorted({x for _, _, xs, _ in lines for x in xs})
    if xs_all and min(xs_all) > 0 and max(xs_all) / min(xs_all) >= 8:
        ax.set_xscale("log", base=2)
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xticks(xs_all, [f"{x:g}" for x in xs_all])  # ticks where it was measured
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.set_title(short(title, 70))
    ax.legend(fontsize=7)
    return to_svg(fig)


def changes(
    title: str, labels: list[str], series: dict[str, list[tuple[float, str] | None]]
) -> str:
    """Before-vs-after change in % per label, one bar per series, each bar
    coloured by its verdict (edge in the series' colour)."""
    fig = Figure(figsize=(7.5, max(1.6, 0.28 * len(labels) + 0.9)))
    ax = fig.subplots()
    n = max(1, len(series))
    h = 0.8 / n
    for i, (name, vals) in enumerate(series.items()):
        pts = [(y + (i - (n - 1) / 2) * h, v) for y, v in enumerate(vals) if v]
        ax.barh(
            [y for y, _ in pts],
            [100 * v[0] for _, v in pts],
            h,
            color=[VERDICT_COLORS.get(v[1], "#999") for _, v in pts],
            edgecolor=color(name),
            linewidth=1.2,
            label=name,
        )
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_yticks(range(len(labels)), [short(label, 55) for label in labels], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("change in speed, % (right: faster)")
    ax.set_title(title)
    ax.legend(fontsize=7)
    ax.grid(axis="y", visible=False)
    return to_svg(fig)
