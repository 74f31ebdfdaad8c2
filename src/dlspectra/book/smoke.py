"""Smoke runs: every page on its paper path, with budgets capped (``dlspectra book --smoke``).

A smoke run keeps every setting that decides shapes and code paths -- models and their widths,
input sizes, data sets at their full size, batch sizes of training, solvers and ``max_basis``,
dtypes, devices, the lists of optimizers, data sets and sizes a page loops over -- and caps only
budgets, so that a page's paper path runs end to end on a CPU in minutes and what would break on a
GPU breaks here first. Its claims are recorded "not run: scale" (its numbers are no evidence).

Two kinds of caps:

- in the preset (:func:`cap_preset`, applied by :func:`dlspectra.book.scales.preset` when a smoke
  run is active): every key of :data:`BUDGET_CAPS`, wherever it sits in the preset's nested dicts,
  is capped by its rule (epochs to 1, Lanczos steps to :data:`STEPS` or ``k + 4``, probes,
  repeats and Monte-Carlo samples to a few, exact batch Hessians to 2 batches, protein sets to a few
  chains); lists of epochs keep their length and order (``[1, 2, 3]``); K (how many eigenvalues a
  page reads) is kept; per-page exceptions are :data:`PAGE_OVERRIDES`;
- at run time, in the library (:mod:`dlspectra.budget`, ``$DLSPECTRA_SMOKE``): a training epoch
  takes :data:`LIBRARY_CAPS` ``batches_per_epoch`` mini-batches, a curvature operator of ``P``
  parameters averages over its first ``max(32, 2**22 // P)`` samples.

A smoke run writes into its own places: its pages and claims under the store ``<scale>-smoke``
(never standing in for a real run), its cache under ``<cache>/smoke-<caps digest>`` (models
trained on capped budgets never reach a real run).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from collections.abc import Callable
from typing import Any

from dlspectra.budget import SMOKE_ENV

STEPS = 16
"""Lanczos steps of a density (SLQ) and, where the solve asks for fewer eigenvalues, of a top-k
solve under a smoke run. K itself (how many eigenvalues a page fits, tests and tables) is a shape
of the page's analysis and is kept: a top-k solve keeps ``k + 4`` steps at least."""
TOP_K_STEPS = 64
"""Papyan's ``top_k_steps`` (the basis of every top-k solve of a page, some with a k fixed in the
code, up to 40): capped here, above those k."""

LIBRARY_CAPS = {"batches_per_epoch": 2, "samples_per_product": 32, "sample_params_per_product": 2 ** 22}
"""The run-time caps of :mod:`dlspectra.budget` a smoke run sets."""


def at_most(cap: int, none_to: int | None = None) -> Callable[[Any], Any]:
    """A rule capping an integer at ``cap`` (``None`` becomes ``none_to`` when given; 0 stays 0)."""
    def rule(v: Any) -> Any:
        if v is None:
            return none_to if none_to is not None else v
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return v
        return v if v <= 0 else type(v)(min(v, cap))
    return rule


def ranks(v: Any) -> Any:
    """A list of settings (epochs of a grid or a ladder) mapped to ``1, 2, ...`` in the same order."""
    if not isinstance(v, (list, tuple)) or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
        return v
    order = sorted(set(v))
    return type(v)(order.index(x) + 1 for x in v)


def each_at_most(cap: int) -> Callable[[Any], Any]:
    """A rule for a list of per-group counts (``None``: all of the group): each capped at ``cap``."""
    one = at_most(cap, none_to=cap)

    def rule(v: Any) -> Any:
        return type(v)(one(x) for x in v) if isinstance(v, (list, tuple)) else one(v)
    return rule


class steps_for_k:
    """A rule for a solver's step budget: at most ``cap`` steps, but ``k + 4`` at least where the
    same dict asks for the top ``k`` (a top-k solve needs ``k`` steps to have ``k`` Ritz values)."""

    needs_context = True

    def __init__(self, cap: int) -> None:
        self.cap = cap

    def __call__(self, v: Any, context: dict | None = None) -> Any:
        k = (context or {}).get("k")
        floor = int(k) + 4 if isinstance(k, int) and not isinstance(k, bool) else 0
        return at_most(max(self.cap, floor))(v)


BUDGET_CAPS: dict[str, Callable[[Any], Any]] = {
    # training length (the library also caps each epoch at a few mini-batches)
    "epochs": at_most(1), "size_epochs": at_most(1), "label_epochs": at_most(1),
    "epoch_grid": ranks, "ladder_epochs": ranks,
    # Krylov budgets (a top-k solve keeps k + 4 steps)
    "max_steps": steps_for_k(STEPS), "num_steps": steps_for_k(STEPS), "log_steps": at_most(STEPS),
    "top_k_steps": at_most(TOP_K_STEPS), "max_matvecs": steps_for_k(4 * STEPS), "normalization_steps": at_most(8),
    "subspace_iters": at_most(3), "max_iter": at_most(5),
    # probes, repeats, Monte-Carlo samples
    "trace_probes": at_most(2), "num_repeats": at_most(2), "num_samples": at_most(500), "mc_N": at_most(500),
    "goe2_samples": at_most(2000), "goe_unfold_samples": at_most(5),
    # exact batch Hessians (Baskerville): a couple of batches
    "batches": at_most(2), "batches_costly": at_most(2), "batches_train": at_most(2), "f32_batches": at_most(2),
    # K-FAC Gram samples per class (the covariance's samples are its rank: kept)
    "gram_n": at_most(10),
    # protein sets: a few chains
    "n_chains": at_most(4, none_to=4),
    "per_bin": each_at_most(2),  # the protein set: 2 chains of each size bin (the largest 3N kept among them)
}
"""Budget keys of the presets and their smoke caps (every other key is kept as it is)."""

PAGE_OVERRIDES: dict[str, dict[str, Callable[[Any], Any] | None]] = {
    # the comparison is PyHessian's power iteration at its defaults: max_iter = 100 is a setting there
    # (the page asserts it), not a budget
    "xie/fig11": {"max_iter": None},
}
"""Per page: rules that replace those of :data:`BUDGET_CAPS` (``None``: keep the key as it is)."""


def active() -> bool:
    """Whether this process runs a smoke run (``$DLSPECTRA_SMOKE`` set)."""
    return bool(os.environ.get(SMOKE_ENV, "").strip())


def _apply(node: Any, rules: dict[str, Callable[[Any], Any] | None]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, v in node.items():
            rule = rules.get(key) if isinstance(key, str) else None
            if rule is None:
                out[key] = _apply(v, rules)
            else:
                out[key] = rule(v, node) if getattr(rule, "needs_context", False) else rule(v)
        return out
    if isinstance(node, list):
        return [_apply(v, rules) for v in node]
    return node


def cap_preset(figure_id: str, preset: dict) -> dict:
    """``preset`` of ``figure_id`` with every budget capped (a new dict; the input is not changed)."""
    rules: dict[str, Callable[[Any], Any] | None] = {**BUDGET_CAPS, **PAGE_OVERRIDES.get(figure_id, {})}
    out = _apply(copy.deepcopy(preset), rules)
    out["smoke"] = True
    return out


def smoke_env() -> dict[str, str]:
    """The environment a smoke run's kernels get (``$DLSPECTRA_SMOKE``: the library's caps)."""
    return {SMOKE_ENV: json.dumps(LIBRARY_CAPS, sort_keys=True)}


def digest() -> str:
    """A short digest of every cap (preset and library): the smoke cache folder's name."""
    text = json.dumps({"STEPS": STEPS, "TOP_K_STEPS": TOP_K_STEPS, "library": LIBRARY_CAPS,
                       "keys": sorted(BUDGET_CAPS), "pages": {k: sorted(v) for k, v in PAGE_OVERRIDES.items()}},
                      sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def store(scale: str) -> str:
    """Where a smoke run of ``scale`` keeps its pages and claims (``paper-smoke``)."""
    return f"{scale}-smoke"


BANNER = ("```{{warning}}\nSmoke run: this page ran its `{scale}` settings (models, data sets at full size, "
          "solvers, dtypes) with budgets capped — {epochs} training epoch(s) of {batches} mini-batches, "
          "curvature over {samples} samples per product (more for small models), a top-k solve {steps} "
          "Lanczos steps or k + 4, "
          "a few probes, repeats and chains. Its numbers test that the code runs; they are no evidence, and every claim is "
          "recorded *not run: scale*.\n```")


def banner(scale: str) -> str:
    """The note at the top of a smoke run's page."""
    return BANNER.format(scale=scale, epochs=1, batches=LIBRARY_CAPS["batches_per_epoch"],
                         samples=LIBRARY_CAPS["samples_per_product"], steps=STEPS)


SMOKE_NOTE = "smoke run (budgets capped): this value tests that the code runs, it is no evidence"


def mark_claims(claims: dict) -> dict:
    """A smoke run's claims JSON with every claim recorded "not run: scale" (the verdict the capped
    numbers gave kept as ``smoke_verdict``)."""
    out = copy.deepcopy(claims)
    for c in out.get("claims", []):
        if c.get("verdict") != "not run: scale":
            c["smoke_verdict"] = c.get("verdict")
            c["verdict"] = "not run: scale"
        c["note"] = f"{SMOKE_NOTE}. {c.get('note') or ''}".strip()
    out["smoke"] = True
    return out


RUN_FIELDS = ("written", "run_id")
"""Fields of a claims JSON that name the run (its time, its id), not what it measured."""


def claims_differences(a: Any, b: Any, path: str = "", ignore: tuple[str, ...] = RUN_FIELDS) -> list[str]:
    """Where two claims JSONs differ, exactly (floats bit for bit), as ``path: a != b`` lines; the
    :data:`RUN_FIELDS` are left out. ``[]``: the two runs recorded the same claims."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            if k in ignore:
                continue
            if k not in a or k not in b:
                out.append(f"{path}/{k}: {'missing' if k not in a else repr(a[k])[:80]} != "
                           f"{'missing' if k not in b else repr(b[k])[:80]}")
            else:
                out += claims_differences(a[k], b[k], f"{path}/{k}", ignore)
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)} items"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in claims_differences(x, y, f"{path}[{i}]", ignore)]
    same = type(a) is type(b) and (a == b or (isinstance(a, float) and a != a and b != b))  # NaN == NaN here
    return [] if same else [f"{path or '/'}: {a!r} != {b!r}"]
