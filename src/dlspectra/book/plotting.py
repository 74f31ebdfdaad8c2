"""One house style for every figure, sized for the book's content column.

The book's stylesheet (``book/_static/dlspectra.css``) gives the content column
:data:`COLUMN_PX` CSS pixels at a 1280 px window. A figure is drawn at :data:`PX_PER_INCH`
pixels per inch and shown at that size (1 figure inch = 100 CSS px) up to the column's width,
then scaled down to fit: a figure up to :data:`COLUMN_IN` inches wide keeps its fonts at their
point size x 100/72 px, a wider one shrinks by ``COLUMN_IN / width``. The PNG itself is written
at twice that resolution (:func:`figure_png`, installed as the notebook's PNG formatter by
:func:`use_style`), so a click on the figure opens it at full resolution. Before it is written,
text that would show under :data:`MIN_TEXT_PX` at the column's width is raised to that size
(:func:`ensure_legible`: a figure wider than the column gets larger type); the PNG records its
smallest text (``dlspectra:min-text-pt``), which the reader check (:mod:`dlspectra.book.readercheck`)
turns into pixels at the width the browser shows it: at least :data:`MIN_TEXT_PX`.

Plots: rank plots on log-log axes (:func:`rank_plot`), densities, histograms with references;
layout helpers: :func:`panel_grid` (panels stacked in rows that fit the column, never squeezed
into one row), :func:`legend_below` (a crowded legend in its own strip under the axes) and
:func:`label_points` (point labels that do not overlap).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from io import BytesIO

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.text import Text

from dlspectra.fits import PowerLawFit

COLUMN_PX = 800
"""Width (CSS px) of the content column at a 1280 px window (the book's stylesheet sets it)."""
PX_PER_INCH = 100
"""Figure pixels per inch as shown: ``figure.dpi``; the PNG is written at twice this."""
COLUMN_IN = COLUMN_PX / PX_PER_INCH
"""The widest figure (inches) shown at full size; a wider one is scaled down to the column."""
MIN_TEXT_PX = 8.0
"""The smallest text a figure may show, in CSS px at its rendered width."""
PNG_SCALE = 2
"""The PNG holds PNG_SCALE x PX_PER_INCH pixels per inch (the full-resolution image)."""

STYLE = {
    "figure.dpi": PX_PER_INCH, "savefig.dpi": PNG_SCALE * PX_PER_INCH, "figure.figsize": (7.0, 4.2),
    "figure.constrained_layout.use": False,
    "font.size": 10, "axes.titlesize": 10.5, "axes.labelsize": 10, "xtick.labelsize": 9, "ytick.labelsize": 9,
    "legend.fontsize": 8.5, "legend.title_fontsize": 9, "figure.titlesize": 11,
    "lines.markersize": 4.5, "lines.linewidth": 1.4, "scatter.edgecolors": "face",
    "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False,
    "legend.frameon": False,
}
"""The house rcParams: fonts and markers sized for figures up to :data:`COLUMN_IN` inches wide."""


def use_style() -> None:
    """Apply the house style; in a notebook, also install :func:`figure_png` as the figures' PNG formatter.

    The notebook's inline backend is set up first (it applies its own rcParams when it loads), so
    the house style is the one in force.
    """
    shell = _shell()
    if shell is not None:
        plt.close(plt.figure())  # load the inline backend now: its set-up rcParams come before ours
    plt.rcParams.update(STYLE)
    if shell is not None:
        shell.display_formatter.formatters["image/png"].for_type(Figure, figure_png)


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell if shell is not None and hasattr(shell, "display_formatter") else None


# -- legibility -------------------------------------------------------------------------------

def _visible_texts(artist) -> list[Text]:
    """Every visible, non-empty text under ``artist`` (an invisible parent hides its children)."""
    out = []
    if not artist.get_visible():
        return out
    if isinstance(artist, Text):
        if artist.get_text().strip() and artist.get_alpha() != 0:
            out.append(artist)
    for child in artist.get_children():
        out += _visible_texts(child)
    return out


def smallest_text(fig: Figure) -> tuple[float, str] | None:
    """(font size in points, the text) of the smallest visible text of ``fig``, or None without text.

    Call on a drawn figure (tick labels exist only after a draw; :func:`figure_png` draws first).
    """
    texts = _visible_texts(fig)
    if not texts:
        return None
    t = min(texts, key=lambda t: t.get_fontsize())
    return float(t.get_fontsize()), " ".join(t.get_text().split())[:60]


def text_px(points: float, natural_width: float, rendered_width: float, dpi: float) -> float:
    """CSS px of a ``points`` font in a PNG of ``natural_width`` px written at ``dpi``, shown ``rendered_width`` px wide."""
    return points / 72.0 * dpi * rendered_width / natural_width


def shown_px_per_point(fig: Figure) -> float:
    """CSS px per point of ``fig``'s text as the book shows it: ``fig.dpi / 72``, scaled down by
    ``COLUMN_PX / width`` when the figure (its tight box, as saved) is wider than the column."""
    fig.canvas.draw()
    tight = fig.get_tightbbox(fig.canvas.get_renderer())
    width = (tight.width + 2 * float(plt.rcParams["savefig.pad_inches"])) * fig.dpi
    return fig.dpi / 72.0 * min(1.0, COLUMN_PX / width)


def ensure_legible(fig: Figure, min_px: float = MIN_TEXT_PX) -> tuple[float, float] | None:
    """Raise every text of ``fig`` that would show smaller than ``min_px`` CSS px at the column's
    width to the size that shows at ``min_px`` (tick labels per axis, other texts one by one).

    The house style's sizes are legible on a figure up to :data:`COLUMN_IN` wide; a wider figure is
    shown shrunk, and its text grows to stay readable (better: stack its panels, :func:`panel_grid`).
    Returns ``(smallest size before, after)`` in points when something was raised, else None.
    """
    before = smallest_text(fig)
    if before is None:
        return None
    for _ in range(4):  # larger text can widen the figure's box, which shrinks it again
        need = math.ceil(4 * min_px / shown_px_per_point(fig)) / 4
        small = [t for t in _visible_texts(fig) if t.get_fontsize() < need - 1e-9]
        if not small:
            break
        for ax in fig.axes:
            for axis in (ax.xaxis, ax.yaxis):
                if any(t.get_fontsize() < need - 1e-9 for t in axis.get_ticklabels(which="both")):
                    axis.set_tick_params(which="both", labelsize=need)
        for t in small:
            if t.get_fontsize() < need - 1e-9:
                t.set_fontsize(need)
    after = smallest_text(fig)
    return (before[0], after[0]) if after[0] > before[0] else None


def figure_png(fig: Figure):
    """The notebook's PNG of ``fig``: ``(base64 PNG, {"width", "height"})`` or None for an empty figure.

    Text too small to read at the column's width is raised first (:func:`ensure_legible`). Written
    at :data:`PNG_SCALE` x ``fig.dpi`` with a tight bounding box; the metadata asks for display at
    ``fig.dpi`` (so a click opens the full resolution: Sphinx links a resized image to its file).
    The PNG's text chunks record ``dlspectra:min-text-pt`` (the smallest font, in points),
    ``dlspectra:min-text`` (that text), ``dlspectra:dpi`` and, when text was raised,
    ``dlspectra:raised-from-pt`` (the smallest size the figure asked for).
    """
    from binascii import b2a_base64

    from PIL import Image

    if not fig.axes and not fig.lines and not fig.texts:
        return None
    raised = ensure_legible(fig)
    fig.canvas.draw()
    small = smallest_text(fig)
    dpi = PNG_SCALE * fig.dpi
    meta = {"Software": f"matplotlib {matplotlib.__version__}, dlspectra house style", "dlspectra:dpi": f"{dpi:g}"}
    if small is not None:
        meta["dlspectra:min-text-pt"] = f"{small[0]:g}"
        meta["dlspectra:min-text"] = small[1].encode("latin-1", "replace").decode("latin-1")
    if raised is not None:
        meta["dlspectra:raised-from-pt"] = f"{raised[0]:g}"
    buf = BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor=fig.get_facecolor(),
                edgecolor=fig.get_edgecolor(), metadata=meta)
    data = buf.getvalue()
    w, h = Image.open(BytesIO(data)).size
    return b2a_base64(data, newline=False).decode("ascii"), {"width": w // PNG_SCALE, "height": h // PNG_SCALE}


def png_text_record(data: bytes) -> dict[str, str]:
    """The ``dlspectra:*`` text chunks of a PNG written by :func:`figure_png` (empty for another PNG)."""
    from PIL import Image

    info = Image.open(BytesIO(data)).info
    return {k: str(v) for k, v in info.items() if isinstance(k, str) and k.startswith("dlspectra:")}


# -- layout -----------------------------------------------------------------------------------

def panel_grid(n: int, *, panel: tuple[float, float] = (4.2, 3.2), max_cols: int | None = None,
               **subplots_kw) -> tuple[Figure, np.ndarray]:
    """``n`` panels of ``panel`` inches each, in as many columns as fit :data:`COLUMN_IN` (at most
    ``max_cols``), stacked in rows: ``(fig, axes)`` with ``axes`` flat, length ``n`` (spare cells hidden)."""
    if n < 1:
        raise ValueError(f"panel_grid needs at least one panel, got {n}")
    fit = max(1, int(COLUMN_IN // panel[0]))
    cols = min(n, fit, max_cols or fit)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(panel[0] * cols, panel[1] * rows), squeeze=False, **subplots_kw)
    flat = axes.ravel()
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def legend_below(ax: plt.Axes, handles=None, labels=None, *, ncol: int = 3, title: str | None = None, **kw):
    """The legend of ``ax`` in a strip under it (``ncol`` columns): for many series, where a legend
    inside the axes would hide the data and one beside it would squeeze them."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    return ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=ncol, title=title,
                     borderaxespad=0.0, **kw)


def label_points(ax: plt.Axes, xs: Sequence[float], ys: Sequence[float], labels: Sequence[str], *,
                 fontsize: float = 8.0) -> None:
    """Label each point (xs[i], ys[i]) with labels[i] just above and right of it; where labels of
    nearby points would overlap, the later ones are lifted (with a thin leader line) until none do.

    Call after the axes' limits are final (the overlap is judged on screen). The labels are
    annotations of ``ax`` (``ax.texts``); nothing is returned, so a page's last line shows nothing.
    """
    ax.figure.canvas.draw()  # final limits and transforms
    pts = ax.transData.transform(np.column_stack([np.asarray(xs, float), np.asarray(ys, float)]))
    to_pt = 72.0 / ax.figure.dpi
    height = 1.25 * fontsize
    placed: list[tuple[float, float, float]] = []  # (x, y, width) of placed labels, in points
    for i in np.lexsort((pts[:, 0], pts[:, 1])):
        x, y = pts[i] * to_pt
        width = 0.6 * fontsize * len(str(labels[i]))
        dy = 3.0
        while any(abs(x - px) < max(width, pw) and abs(y + dy - py) < height for px, py, pw in placed):
            dy += height
        placed.append((x, y + dy, width))
        arrow = {"arrowstyle": "-", "lw": 0.5, "color": "0.5"} if dy > 3.0 else None
        ax.annotate(str(labels[i]), (xs[i], ys[i]), xytext=(3, dy), textcoords="offset points", fontsize=fontsize,
                    arrowprops=arrow)


# -- plots ------------------------------------------------------------------------------------

def rank_plot(ax: plt.Axes, eigenvalues: np.ndarray, *, label: str, fit: PowerLawFit | None = None,
              color: str | None = None, marker: str = ".", normalise: bool = False) -> None:
    """Eigenvalues (descending) against their rank k on log-log axes, with the fitted line.

    The line is the rank law implied by the fitted density: with p(λ) ∝ λ^(-β̂) above λ_cutoff = λ_K,
    the expected rank of λ is K (λ/λ_K)^(-(β̂-1)), i.e. λ_k = λ_K (K/k)^ŝ with ŝ = 1/(β̂-1) (Xie Eq. 3,
    the tables' ŝ). It passes through (K, λ_K) and is drawn over k = 1..K. ``normalise`` divides
    everything by λ_1 (the protein figures).
    """
    lam = np.sort(np.asarray(eigenvalues, dtype=float))[::-1]
    lam = lam[lam > 0]
    scale = lam[0] if normalise else 1.0
    k = np.arange(1, lam.size + 1)
    line = ax.loglog(k, lam / scale, marker, ms=3.5, label=label, color=color, alpha=0.85)
    if fit is not None:
        kk = np.arange(1, fit.k + 1)
        ax.loglog(kk, fit.lambda_cutoff / scale * (fit.k / kk) ** fit.s_mle, "-", lw=1.2, color=line[0].get_color(),
                  alpha=0.9, label=f"fit ŝ = {fit.s_mle:.3f}")
    ax.set_xlabel("rank k")
    ax.set_ylabel("eigenvalue λ_k" + (" / λ_1" if normalise else ""))


def density_plot(ax: plt.Axes, grid: np.ndarray, density: np.ndarray, *, label: str, logy: bool = True) -> None:
    """A spectral density on a grid (log y-axis by default, as Papyan's figures)."""
    ax.plot(grid, density, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("eigenvalue")
    ax.set_ylabel("density")


def histogram_with_reference(ax: plt.Axes, samples: np.ndarray, bins: int | Sequence[float], *, label: str,
                             references: dict | None = None, xmax: float | None = None) -> None:
    """Normalised histogram of ``samples`` with reference densities ``{name: (x, pdf)}`` drawn over it."""
    ax.hist(samples, bins=bins, density=True, alpha=0.5, label=label, range=(0, xmax) if xmax else None)
    for name, (x, y) in (references or {}).items():
        ax.plot(x, y, lw=1.5, label=name)
    ax.set_ylabel("density")


def distinct_styles(names: Sequence[str]) -> dict[str, dict]:
    """``{name: {"color", "marker"}}``: distinct colours (the tab20 palette, dark shades first) and
    markers for up to 20 series (e.g. the 11 optimizers of Xie et al.), in the order given; the
    same name gets the same style on every page that lists the same names."""
    cmap = matplotlib.colormaps["tab20"]
    order = list(range(0, 20, 2)) + list(range(1, 20, 2))
    markers = "osD^vP*X<>hpd8H1234+x"
    if len(names) > len(order):
        raise ValueError(f"distinct_styles: at most {len(order)} names, got {len(names)}")
    return {n: {"color": cmap(order[i]), "marker": markers[i]} for i, n in enumerate(names)}
