"""Where a build reads and writes: the checkout (found upward from the cwd) and the path settings.

- :func:`find_checkout`: the book's folder is the first of the cwd and its parents holding
  ``_config.yml`` and ``notebooks/`` (``$DLSPECTRA_BOOK_ROOT`` overrides), never the folder the
  package happens to be installed from.
- :func:`resolve_settings`: every path setting (``DLSPECTRA_DATA``, ``DLSPECTRA_CACHE``,
  ``DLSPECTRA_RESULTS``) made absolute against the cwd of the command, before any notebook runs in
  its own folder; unset cache and results default to the checkout's ``.cache/dlspectra`` and
  ``_build/results``.
- :func:`pages_dir`: executed pages, kept per scale (``_build/pages/<scale>/<paper>/<stem>.ipynb``),
  apart from the reader's notebooks (``notebooks/<paper>/<stem>.py``).
- :func:`staging_dir`: the per-scale folder the HTML is built from (``_build/book/<scale>``).
"""

from __future__ import annotations

import os
from pathlib import Path

from dlspectra.errors import DlspectraError

BOOK_ROOT_ENV = "DLSPECTRA_BOOK_ROOT"
PATH_SETTINGS = ("DLSPECTRA_DATA", "DLSPECTRA_CACHE", "DLSPECTRA_RESULTS")


def is_checkout(folder: Path) -> bool:
    """Whether ``folder`` holds a book (``_config.yml`` and a ``notebooks/`` folder)."""
    return (folder / "_config.yml").is_file() and (folder / "notebooks").is_dir()


def find_checkout(start: Path | None = None) -> Path:
    """The book folder: ``$DLSPECTRA_BOOK_ROOT`` if set, else ``start`` (default: cwd) or its first parent that is one.

    Raises :class:`DlspectraError` when none is found (naming where the search started).
    """
    env = os.environ.get(BOOK_ROOT_ENV)
    if env:
        root = Path(env).expanduser().resolve()
        if not is_checkout(root):
            raise DlspectraError(f"${BOOK_ROOT_ENV}={env} is not a book folder (no _config.yml and notebooks/ there)")
        return root
    here = (start or Path.cwd()).resolve()
    for cand in (here, *here.parents):
        if is_checkout(cand):
            return cand
    raise DlspectraError(f"no book found in {here} or its parents (a folder with _config.yml and notebooks/); "
                         "run the command inside the checkout")


def resolve_settings(root: Path, environ: dict | None = None, cwd: Path | None = None) -> dict[str, str]:
    """Make every path setting in ``environ`` (default ``os.environ``, changed in place) absolute.

    Relative values are taken against ``cwd`` (default: the current folder), ``~`` is expanded;
    unset ``DLSPECTRA_CACHE`` / ``DLSPECTRA_RESULTS`` become ``<root>/.cache/dlspectra`` and
    ``<root>/_build/results``. Returns the resulting settings.
    """
    env = os.environ if environ is None else environ
    base = (cwd or Path.cwd()).resolve()
    defaults = {"DLSPECTRA_CACHE": root / ".cache" / "dlspectra", "DLSPECTRA_RESULTS": root / "_build" / "results"}
    out = {}
    for name in PATH_SETTINGS:
        value = env.get(name)
        if value:
            path = Path(value).expanduser()
            path = path if path.is_absolute() else base / path
        elif name in defaults:
            path = defaults[name]
        else:
            continue
        env[name] = out[name] = str(Path(os.path.normpath(path)))
    return out


def pages_dir(root: Path, scale: str) -> Path:
    """Folder of the executed pages of ``scale`` (one ``<paper>/<stem>.ipynb`` and ``.run.json`` each)."""
    return root / "_build" / "pages" / scale


def staging_dir(root: Path, scale: str) -> Path:
    """Folder the HTML of ``scale`` is built from (config, toc, hand-written pages, that scale's pages)."""
    return root / "_build" / "book" / scale
