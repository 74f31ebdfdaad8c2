"""Fig. 6: the class / cross-class structure of G over training length and sample size (Sec. 6.2).

One panel per (epochs, N per class): a network trained for that many epochs (its own run, the
paper's schedule shape) on N images per class; the log-spectrum of G, its top C (orange), the
eigenvalues of the rank-C² matrix ``G_class + G_cross + G_(c=c')`` split into yellow (top C), green
(next C² − 2C) and teal (last C), and the red ``(1/N_c) Tr G_within,c``. Panels are cached
(namespace ``papyan-spectra``). :func:`grid_statistics` reads the claims' statistics from the
grid, and :func:`truncated` the same statistics on the grid cut at each rung (the ladders).
"""

from __future__ import annotations

import numpy as np

from dlspectra.cache import cached
from dlspectra.spectral import lanczos_log_density

from .pipeline import decompose, network, within_class_traces
from .spectra import EPSILON, main_bulk, top_eigs

C = 10


def panel(p: dict, dataset: str, epochs: int, n: int, device) -> dict:
    """The spectra of one panel (cached)."""
    net = network(p, dataset, device, n_per_class=n, epochs=epochs)
    key = {"net": net.trained.config.key_config(), "what": "g-dynamics", "log_steps": p["log_steps"],
           "top_k_steps": p["top_k_steps"], "normalization_steps": p["normalization_steps"], "epsilon": EPSILON,
           "version": 1}

    def compute() -> dict:
        dec = decompose(net)
        top = top_eigs(dec.G, C, p)
        u, d = lanczos_log_density(dec.G, num_steps=p["log_steps"], epsilon=EPSILON,
                                   normalization_steps=p["normalization_steps"])
        b = dec.eigenvalues("between")
        return {"u": u, "d": d, "orange": top.eigenvalues, "conv": np.array(bool(top.converged)), "yellow": b[:C],
                "green": b[C:C * C - C], "teal": b[C * C - C:], "red": within_class_traces(net, dec),
                "train_acc": np.array(net.train_accuracy if net.train_accuracy is not None else np.nan)}

    return cached("papyan-spectra", key, compute)


def grid(p: dict, dataset: str, device) -> dict:
    """``{(epochs, n): panel}`` over ``p["epoch_grid"] x p["sizes"]``."""
    return {(ep, n): panel(p, dataset, ep, n, device) for ep in p["epoch_grid"] for n in p["sizes"]}


def _lmed(v) -> float:
    return float(np.median(np.log(np.maximum(np.asarray(v, dtype=float), 1e-300))))


def panel_metrics(q: dict) -> dict:
    """One panel's numbers: ``align`` = max |log orange/yellow|, ``gr`` = median log green − median
    log red, ``yr`` = median log yellow − median log red, ``depth`` = where the median red value
    sits in the main bulk's 10–90 % log-interval (0 and 1 are its edges; negative outside), ``teal``."""
    align = float(np.max(np.abs(np.log(np.asarray(q["orange"]) / np.asarray(q["yellow"])))))
    mb = main_bulk(q["u"], q["d"])
    r = float(np.log(np.median(q["red"]) + EPSILON))
    z = (r - mb["lo"]) / (mb["hi"] - mb["lo"])
    return {"align": align, "gr": _lmed(q["green"]) - _lmed(q["red"]), "yr": _lmed(q["yellow"]) - _lmed(q["red"]),
            "depth": float(min(z, 1 - z)), "teal": float(np.max(np.abs(q["teal"]))), "conv": bool(q["conv"])}


def grid_statistics(met: dict, epochs: list[int], sizes: list[int]) -> dict:
    """The fig06 claims' statistics from ``{(ep, n): panel_metrics}`` on the grid ``epochs x sizes``."""
    g = {k: abs(v["gr"]) for k, v in met.items()}
    yr = [met[(e, n)]["yr"] for e in epochs for n in sizes]
    gr = [g[(e, n)] for e in epochs for n in sizes]
    return {
        "orange-yellow": max(met[(e, n)]["align"] for e in epochs for n in sizes),
        "red-bulk": min(met[(e, n)]["depth"] for e in epochs for n in sizes),
        "separate": min(g[(epochs[-1], n)] - g[(epochs[0], n)] for n in sizes),
        "merge": min(g[(e, sizes[0])] - g[(e, sizes[-1])] for e in epochs),
        "class-within-steady": float(np.ptp(yr) / np.ptp(gr)) if np.ptp(gr) > 0 else float("inf"),
    }


def truncated(met: dict, epochs: list[int], sizes: list[int], claim_id: str) -> tuple[list, list]:
    """``(settings, values)`` of ``claim_id``'s statistic on the grid cut at each rung: for the
    epoch claims the rungs are the epoch counts (the grid's rows up to that one; ``orange-yellow``
    and ``red-bulk`` read that row alone), for ``merge`` the sample sizes (columns up to that one).
    A rung needs two rows (columns) for the change claims, so their first rung is the second."""
    if claim_id == "merge":
        rungs = sizes[1:]
        return rungs, [grid_statistics(met, epochs, sizes[:sizes.index(n) + 1])["merge"] for n in rungs]
    if claim_id in ("orange-yellow", "red-bulk"):
        return list(epochs), [grid_statistics(met, [e], sizes)[claim_id] for e in epochs]
    rungs = epochs[1:]
    return rungs, [grid_statistics(met, epochs[:epochs.index(e) + 1], sizes)[claim_id] for e in rungs]
