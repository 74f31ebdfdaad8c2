"""Plot helpers in the paper's forms: log-scale densities with outlier markers, knockout scatters
(min-max normalised log eigenvalues, identity line, top group in blue) and scree plots."""

from __future__ import annotations

import numpy as np

FLOOR = 1e-12


def density_panel(ax, x, dens, *, label: str = "", color: str = "C0", markers: dict | None = None,
                  log_x: bool = False, floor: float = 1e-8) -> None:
    """Density on a log y-axis (values below ``floor * max`` clipped), with vertical marker ticks
    ``markers = {label: (values, color)}`` at the bottom of the panel."""
    d = np.maximum(np.asarray(dens), floor * max(np.max(dens), 1e-300))
    ax.semilogy(x, d, color=color, lw=1, label=label)
    if markers:
        lo = d.min()
        for lab, (vals, col) in markers.items():
            vals = np.asarray(vals, dtype=float)
            vals = np.log(np.maximum(vals, FLOOR)) if log_x else vals
            ax.plot(vals, np.full(len(vals), lo * 3), "|", ms=12, mew=1.5, color=col, label=lab)


def knockout_scatter(ax, before, after, group: int, k: int, *, title: str = "") -> dict:
    """Papyan's knockout scatter: y = log lambda_i(A), x = log lambda_i(A knocked out), top ``k``,
    both min-max normalised to [0, 1]; the first ``group`` points blue, the rest orange.
    Returns the normalised coordinates."""
    a = np.sort(np.asarray(before, float))[::-1][:k]
    b = np.sort(np.asarray(after, float))[::-1][:k]
    f = FLOOR * max(a[0], 1e-300)
    la, lb = np.log(np.maximum(a, f)), np.log(np.maximum(b, f))
    lo, hi = min(la.min(), lb.min()), max(la.max(), lb.max())
    ya, xb = (la - lo) / (hi - lo or 1), (lb - lo) / (hi - lo or 1)
    ax.plot([0, 1], [0, 1], "k-", lw=0.7)
    ax.plot(xb[group:], ya[group:], ".", color="C1", ms=3)
    ax.plot(xb[:group], ya[:group], ".", color="C0", ms=5)
    ax.set_xlim(-0.05, 1.05); ax.set_ylim(-0.05, 1.05)
    ax.set_xticks([]); ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=8)
    return {"x": xb, "y": ya}


def scree_panel(ax, eig, overlays: dict, *, k: int, normalise_by=None, title: str = "") -> None:
    """Top ``k`` eigenvalues (blue dots, log y) with overlays ``{label: (values, color)}`` drawn at
    their ranks; all divided by ``normalise_by`` (e.g. the geometric median of the class eigenvalues)."""
    s = float(normalise_by) if normalise_by else 1.0
    e = np.sort(np.asarray(eig, float))[::-1][:k]
    ax.semilogy(np.arange(1, len(e) + 1), np.maximum(e, FLOOR) / s, ".", color="C0", ms=3)
    for lab, (vals, col) in overlays.items():
        v = np.sort(np.asarray(vals, float))[::-1]
        v = v[v > FLOOR * max(e[0], 1e-300)]
        ax.semilogy(np.arange(1, len(v) + 1), v / s, "o", mfc="none", color=col, ms=4, label=lab)
    if title:
        ax.set_title(title, fontsize=8)
