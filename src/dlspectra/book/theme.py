"""The book's look, as a Sphinx extension: the stylesheet ``static/dlspectra.css`` served with every page.

``_config.yml`` loads it (``sphinx: extra_extensions: [dlspectra.book.theme]``). The stylesheet sets
the content column (:data:`dlspectra.book.plotting.COLUMN_PX` CSS px at a 1280 px window: narrower
sidebars), wraps long output lines, gives code a visible scroll bar, fits tables to the column,
shows figures at most as wide as the column (a click opens the full-resolution image) and styles
the outcome box (:mod:`dlspectra.book.summary`) and the scorecard's chart (:mod:`dlspectra.book.scorecard`).
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).with_name("static")
"""The folder of the book's own static files."""
STYLESHEET = "dlspectra.css"


def _add_static(app, config) -> None:  # noqa: ARG001 - Sphinx's config-inited signature
    paths = list(config.html_static_path or [])
    if str(STATIC) not in paths:
        config.html_static_path = [*paths, str(STATIC)]


def setup(app) -> dict:
    """Sphinx entry point: serve :data:`STATIC` and link :data:`STYLESHEET` from every page."""
    app.connect("config-inited", _add_static)
    app.add_css_file(STYLESHEET, priority=900)  # after the theme's own sheets
    return {"parallel_read_safe": True, "parallel_write_safe": True}
