"""Named scale presets: one place decides every size (subset sizes, epochs, K, Lanczos steps, ...).

A notebook asks ``preset(scale, "xie/fig01")`` and gets a plain dict of the sizes for that figure
at that scale. Two scales exist: ``ci`` (CPU, 2 cores, seconds to minutes per notebook; the whole
book cold inside CI's budget) and ``paper`` (the paper's own settings; meant for a GPU). Presets
live in each paper's package (``dlspectra.papers.<paper>.presets``, a module or a package), each defining
``PRESETS = {"<paper>/<id>": {"ci": {...}, "paper": {...}}}``; they are merged here, and a figure
id defined twice is an error.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import pkgutil
from functools import lru_cache

from dlspectra.book.chapter_library import PAGES as LIBRARY_PAGES, PRESETS as LIBRARY_PRESETS
from dlspectra.errors import UnknownNameError

SCALES = ("ci", "paper")

FIGURE_IDS: tuple[str, ...] = (
    tuple(f"xie/fig{i:02d}" for i in range(1, 22)) + tuple(f"xie/tab{i:02d}" for i in range(1, 14))
    + tuple(f"papyan/fig{i:02d}" for i in range(1, 18)) + ("papyan/tab01", "papyan/thm81", "papyan/decomp")
    + tuple(f"bask/fig{i:02d}" for i in range(1, 10)) + tuple(f"bask/figA{i}" for i in range(10, 15))
    + LIBRARY_PAGES
)
"""Every figure and table of the three papers (the catalogs' ids), and the library chapter's pages."""


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


PAPERS_PACKAGE = "dlspectra.papers"
"""Where the paper packages live. Found at run time (a registry, not a code dependency: the book imports no paper)."""


def _preset_modules():
    """Every module of each paper's ``presets`` (a module or a package), imported by name."""
    spec = importlib.util.find_spec(PAPERS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return
    for paper in sorted(pkgutil.iter_modules(spec.submodule_search_locations), key=lambda m: m.name):
        name = f"{PAPERS_PACKAGE}.{paper.name}.presets"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        yield module
        for sub in sorted(pkgutil.iter_modules(getattr(module, "__path__", [])), key=lambda m: m.name):
            yield importlib.import_module(f"{name}.{sub.name}")


@lru_cache(maxsize=1)
def all_presets() -> dict[str, dict[str, dict]]:
    """The merged ``PRESETS`` of every paper's presets (``dlspectra.papers.<paper>.presets``)."""
    merged: dict[str, dict[str, dict]] = copy.deepcopy(LIBRARY_PRESETS)  # the library chapter's page(s)
    for module in _preset_modules():
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
    """A fresh copy of the sizes of ``figure_id`` at ``scale`` (with ``scale`` and ``figure_id`` set).

    In a smoke run (``$DLSPECTRA_SMOKE`` set; :mod:`dlspectra.book.smoke`) every budget of it is
    capped and ``smoke`` is True; shapes, data sets and solvers stay as the scale has them."""
    check_scale(scale)
    check_figure_id(figure_id)
    presets = all_presets()
    if figure_id not in presets:
        raise UnknownNameError(f"figure {figure_id!r} has no presets yet; figures with presets: "
                               f"{', '.join(sorted(presets))}")
    out = copy.deepcopy(presets[figure_id][scale])
    from dlspectra.book import smoke

    if smoke.active():
        out = smoke.cap_preset(figure_id, out)
    out.update(scale=scale, figure_id=figure_id)
    return out
