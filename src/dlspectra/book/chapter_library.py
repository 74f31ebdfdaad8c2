"""The book's chapter on the library itself: its pages, its table-of-contents part and the sizes of
its page (the papers keep theirs in ``dlspectra.papers.<paper>.presets``; the library is no paper).

:data:`PAGES` are figure ids ``library/<id>`` with sources ``notebooks/library/<id>_<slug>.py``;
:data:`PRESETS` their sizes per scale (read by :func:`dlspectra.book.scales.preset`); the part
:data:`CAPTION` holds the overview :data:`CHAPTER` with the pages and the API reference
:data:`API_DOC` as its sections.
"""

from __future__ import annotations

KEY = "library"
CAPTION = "Using the library on your own model"
CHAPTER = "book/library"
API_DOC = "book/api"

PAGES: tuple[str, ...] = ("library/quickstart",)

_QUICKSTART = {"n": 512, "batch_size": 128, "lr": 0.05, "epochs": 2, "k": 20, "density_steps": 48,
               "trace_products": 30, "exact_batches": 4, "seed": 0}

PRESETS: dict[str, dict[str, dict]] = {
    # the page demonstrates the library: the same small sizes at both scales (it reproduces no paper)
    "library/quickstart": {"ci": dict(_QUICKSTART), "paper": dict(_QUICKSTART)},
}
