"""Run-time budget caps of a smoke run, and the log of the curvature products it did.

A smoke run (``dlspectra book --scale paper --smoke``) executes every page on its paper settings
(models, input sizes, data sets at their full size, solvers, dtypes, devices) but with tiny
budgets, to find what breaks before a GPU is booked. Budgets that no preset holds are capped
here, read from ``$DLSPECTRA_SMOKE`` (a JSON object; unset or empty: no cap, the normal case):

- ``batches_per_epoch``: a training epoch stops after this many mini-batches
  (:func:`batches_per_epoch`; the learning-rate schedule and the epoch count are unchanged);
- ``samples_per_product`` and ``sample_params_per_product``: a curvature operator of ``P``
  parameters averages over the first ``max(samples_per_product, sample_params_per_product // P)``
  samples of its data (:func:`cap_batches`: a small model keeps enough samples for a Hessian of
  high rank, a large one few); the gradient covariance is not capped (its samples are its rank,
  a shape of the operator).

Where ``$DLSPECTRA_PRODUCT_LOG`` names a file, every curvature operator appends one JSON line per
product call (operator class, products, seconds, parameters, samples; :func:`record_products`):
the smoke run's per-product costs, which ``dlspectra plan`` reads (:func:`read_product_log`).

The caps change results: a process with caps set must not share a cache with one without (the
book's runner gives a smoke run its own cache folder).
"""

from __future__ import annotations

import json
import os
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

SMOKE_ENV = "DLSPECTRA_SMOKE"
LOG_ENV = "DLSPECTRA_PRODUCT_LOG"

__all__ = ["SMOKE_ENV", "LOG_ENV", "caps", "active", "batches_per_epoch", "cap_batches", "record_products",
           "read_product_log", "summarize_products"]


@lru_cache(maxsize=8)
def _parse(text: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    if text.strip() == "1":
        return {"batches_per_epoch": 2, "samples_per_product": 32, "sample_params_per_product": 2 ** 22}
    try:
        out = json.loads(text)
    except ValueError:
        raise ValueError(f"${SMOKE_ENV} must be empty, 1 or a JSON object of caps, got {text!r}") from None
    if not isinstance(out, dict):
        raise ValueError(f"${SMOKE_ENV} must be a JSON object of caps, got {text!r}")
    return out


def caps() -> dict[str, Any]:
    """The caps of this process (``{}`` outside a smoke run)."""
    return dict(_parse(os.environ.get(SMOKE_ENV, "")))


def active() -> bool:
    """Whether this process runs under smoke caps."""
    return bool(caps())


def batches_per_epoch() -> int | None:
    """The most mini-batches one training epoch may take, or None (no cap)."""
    n = caps().get("batches_per_epoch")
    return None if n is None else max(1, int(n))


UNCAPPED_OPERATORS = ("GradientCovarianceOperator",)
"""Operators whose samples are a shape (the covariance of M per-sample gradients has rank M)."""


def samples_cap(dim: int) -> int | None:
    """The most samples one product of an operator of ``dim`` parameters may average over (None: all)."""
    c = caps()
    if c.get("samples_per_product") is None:
        return None
    return max(int(c["samples_per_product"]), int(c.get("sample_params_per_product", 0)) // max(1, int(dim)))


def cap_batches(batches: list, *, dim: int, kind: str = "") -> list:
    """``batches`` (a list of ``(X, y)``) of an operator of ``dim`` parameters, cut to their first
    :func:`samples_cap` samples under a smoke cap (the last batch kept sliced); unchanged otherwise
    and for the :data:`UNCAPPED_OPERATORS`."""
    cap = samples_cap(dim)
    if cap is None or kind in UNCAPPED_OPERATORS:
        out = batches
    else:
        out, left = [], int(cap)
        for X, y in batches:
            if left <= 0:
                break
            out.append((X[:left], y[:left]) if len(X) > left else (X, y))
            left -= len(out[-1][0])
    _record_samples(kind, dim, batches, out)
    return out


def _record_samples(kind: str, dim: int, full: list, kept: list) -> None:
    """One line in ``$DLSPECTRA_PRODUCT_LOG`` (when set) saying how many samples an operator of
    ``kind`` would average over without the caps (``samples_full``) and how many it keeps: what
    ``dlspectra plan`` scales a smoke run's per-product cost by."""
    if not os.environ.get(LOG_ENV):
        return
    try:
        n_full, n_kept = sum(len(b[0]) for b in full), sum(len(b[0]) for b in kept)
    except (TypeError, IndexError):
        return
    line = json.dumps({"kind": kind, "count": 0, "seconds": 0.0, "dim": int(dim), "samples": int(n_kept),
                       "samples_full": int(n_full), "op": None, "t": round(time.time(), 3)})
    with open(os.environ[LOG_ENV], "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def record_products(kind: str, count: int, seconds: float, *, dim: int, samples: int | None = None,
                    operator_id: int | None = None) -> None:
    """Append one product call to ``$DLSPECTRA_PRODUCT_LOG`` when it is set (a no-op otherwise)."""
    path = os.environ.get(LOG_ENV)
    if not path:
        return
    line = json.dumps({"kind": kind, "count": int(count), "seconds": round(float(seconds), 6), "dim": int(dim),
                       "samples": None if samples is None else int(samples), "op": operator_id,
                       "t": round(time.time(), 3)})
    with open(path, "a", encoding="utf-8") as fh:  # one short line per call: appends do not interleave
        fh.write(line + "\n")


def read_product_log(path: str | Path) -> list[dict]:
    """The lines of a product log (unreadable lines skipped)."""
    out = []
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return out
    for line in text.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


def summarize_products(lines: list[dict]) -> list[dict]:
    """Per (operator class, parameters, samples): operators, products, seconds, seconds per product and
    ``samples_full`` (the samples without the smoke caps, where logged; groups with no product left out)."""
    groups: dict[tuple, dict] = {}
    for ln in lines:
        key = (ln.get("kind"), ln.get("dim"), ln.get("samples"))
        g = groups.setdefault(key, {"kind": key[0], "dim": key[1], "samples": key[2], "operators": set(),
                                    "products": 0, "seconds": 0.0, "samples_full": None})
        if ln.get("samples_full") is not None:  # an operator's construction: its samples without the caps
            g["samples_full"] = max(int(ln["samples_full"]), g["samples_full"] or 0)
        if not int(ln.get("count", 0)) and ln.get("op") is None:
            continue
        g["operators"].add(ln.get("op"))
        g["products"] += int(ln.get("count", 0))
        g["seconds"] += float(ln.get("seconds", 0.0))
    out = []
    for g in groups.values():
        if not g["operators"]:
            continue
        g["operators"] = len(g["operators"])
        g["seconds_per_product"] = g["seconds"] / g["products"] if g["products"] else None
        out.append(g)
    return sorted(out, key=lambda g: -g["seconds"])
