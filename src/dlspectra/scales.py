"""Named scale presets: one place decides every size (subset sizes, epochs, K, Lanczos steps, ...).

A notebook asks ``preset(scale, "xie/fig01")`` and gets a plain dict of the sizes for that figure
at that scale. Two scales exist: ``ci`` (CPU, 2 cores, seconds to minutes per notebook; the whole
book cold inside CI's budget) and ``paper`` (the paper's own settings; meant for a GPU). Presets
live in the modules of :mod:`dlspectra.presets` (one or more per paper), each defining
``PRESETS = {"<paper>/<id>": {"ci": {...}, "paper": {...}}}``; they are merged here, and a figure
id defined twice is an error.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
from functools import lru_cache

from .errors import UnknownNameError

SCALES = ("ci", "paper")

FIGURE_IDS: tuple[str, ...] = (
    tuple(f"xie/fig{i:02d}" for i in range(1, 22)) + tuple(f"xie/tab{i:02d}" for i in range(1, 14))
    + tuple(f"papyan/fig{i:02d}" for i in range(1, 18)) + ("papyan/tab01",)
    + tuple(f"bask/fig{i:02d}" for i in range(1, 10)) + tuple(f"bask/figA{i}" for i in range(10, 15))
)
"""Every figure and table of the three papers (the catalogs' ids)."""


def check_scale(scale: str) -> str:
    """Return ``scale`` if it is a known scale, else raise :class:`UnknownNameError` listing them."""
    if scale not in SCALES:
        raise UnknownNameError(f"unknown scale {scale!r}; valid scales: {', '.join(SCALES)}")
    return scale


def check_figure_id(figure_id: str) -> str:
    """Return ``figure_id`` if it names a figure/table of the papers, else raise listing the valid ones."""
    if figure_id not in FIGURE_IDS:
        raise UnknownNameError(f"unknown figure id {figure_id!r}; valid ids: {', '.join(FIGURE_IDS)}")
    return figure_id


@lru_cache(maxsize=1)
def all_presets() -> dict[str, dict[str, dict]]:
    """The merged ``PRESETS`` of every module in :mod:`dlspectra.presets`."""
    from . import presets as pkg

    merged: dict[str, dict[str, dict]] = {}
    for mod in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"{pkg.__name__}.{mod.name}")
        for fig, by_scale in getattr(module, "PRESETS", {}).items():
            check_figure_id(fig)
            if fig in merged:
                raise ValueError(f"figure {fig!r} has presets in two modules (second: {module.__name__})")
            missing = set(SCALES) - set(by_scale)
            if missing:
                raise ValueError(f"presets of {fig!r} in {module.__name__} lack scale(s) {sorted(missing)}")
            merged[fig] = by_scale
    return merged


def preset(scale: str, figure_id: str) -> dict:
    """A fresh copy of the sizes of ``figure_id`` at ``scale`` (with ``scale`` and ``figure_id`` set)."""
    check_scale(scale)
    check_figure_id(figure_id)
    presets = all_presets()
    if figure_id not in presets:
        raise UnknownNameError(f"figure {figure_id!r} has no presets yet; figures with presets: "
                               f"{', '.join(sorted(presets))}")
    out = copy.deepcopy(presets[figure_id][scale])
    out.update(scale=scale, figure_id=figure_id)
    return out
