"""Staging: the folder one scale's HTML is built from, and the scorecard page in it.

:func:`stage_book` assembles ``_build/book/<store>/`` (``store``: the scale, or ``<scale>-smoke``):
the checkout's config (MathJax served locally), the generated ``_toc.yml``, the hand-written
``book/`` pages, and for every page of the catalog either its executed copy (:func:`stage_page`)
or a placeholder saying why there is none (:func:`write_placeholder`). :func:`write_scorecard`
renders the scorecard body (:mod:`dlspectra.book.scorecard`), counting only the claims of pages
current in this build.

Hook for what is added to an executed page as it is staged (a summary box, a banner): a function
``f(doc, notebook, store) -> doc`` appended to :data:`PAGE_HOOKS`; it gets the nbformat notebook
about to be written to the staging folder and returns it (changed or not). The executed page under
``_build/pages`` is never changed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dlspectra.cache import atomic_write_text
from dlspectra.book import pagecache
from dlspectra.book.catalog import Notebook, render_toc
from dlspectra.book.paths import staging_dir
from dlspectra.book.scorecard import render_scorecard
from dlspectra.book.summary import HOOKS as READER_HOOKS

PAGE_HOOKS: list[Callable[[Any, Notebook, str], Any]] = [*READER_HOOKS]
"""Functions ``f(doc, notebook, store) -> doc`` applied, in order, to each executed page as it is staged
(the reader's: figure code folded, the outcome box under the title, :mod:`dlspectra.book.summary`)."""


def page_states(notebooks: dict[str, Notebook], store: str, keys: dict[str, str]) -> dict[str, str | None]:
    """``{id: None if current else why not}`` for every page."""
    return {fid: pagecache.staleness(nb.executed(store), nb.claims(store), keys[fid], store)
            for fid, nb in notebooks.items()}


def write_placeholder(path: Path, nb: Notebook, scale: str, why: str = "") -> None:
    """A page for a notebook that has no current executed page at ``scale`` (so the book still links it)."""
    import nbformat

    reason = f" ({why})" if why else ""
    text = (f"# {nb.title}\n\n```{{note}}\nThis page has no executed copy at scale `{scale}` in this build{reason}. Run\n"
            f"`dlspectra book --scale {scale} --only {nb.figure_id}` (or `make book`) to compute it.\n```\n")
    doc = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])
    doc.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    atomic_write_text(path, nbformat.writes(doc))


def stage_page(executed: Path, dest: Path, nb: Notebook, store: str) -> None:
    """Copy one executed page into the staging folder, through :data:`PAGE_HOOKS` when there are any."""
    if not PAGE_HOOKS:
        shutil.copyfile(executed, dest)
        return
    import nbformat

    doc = nbformat.read(str(executed), as_version=4)
    for hook in PAGE_HOOKS:
        doc = hook(doc, nb, store)
    atomic_write_text(dest, nbformat.writes(doc))


def stage_book(root: Path, store: str, notebooks: dict[str, Notebook], keys: dict[str, str],
               mathjax: Path | None) -> Path:
    """Assemble ``_build/book/<store>`` from the checkout and this store's executed pages; returns it."""
    import yaml

    stage = staging_dir(root, store)
    for sub in ("book", "notebooks"):
        shutil.rmtree(stage / sub, ignore_errors=True)
    shutil.copytree(root / "book", stage / "book", ignore=shutil.ignore_patterns("_generated"))
    config = yaml.safe_load((root / "_config.yml").read_text())
    if mathjax is not None:
        config.setdefault("sphinx", {}).setdefault("config", {})["html_static_path"] = [str(mathjax)]
    atomic_write_text(stage / "_config.yml", yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    atomic_write_text(stage / "_toc.yml", render_toc(notebooks))
    states = page_states(notebooks, store, keys)
    for fid, nb in notebooks.items():
        dest = stage / f"{nb.doc}.ipynb"
        dest.parent.mkdir(parents=True, exist_ok=True)
        executed = nb.executed(store)
        rec = pagecache.read_record(executed)
        shown = executed.exists() and rec is not None and rec.get("key") == keys[fid]
        if shown and (states[fid] is None or rec.get("status") != pagecache.OK):
            stage_page(executed, dest, nb, store)  # current, or this source's failed run (its traceback shows)
        else:
            write_placeholder(dest, nb, store, states[fid] or "")
    return stage


def scorecard_inputs(notebooks: dict[str, Notebook], store: str, keys: dict[str, str]):
    """(accept, pages) for :func:`render_scorecard`: only claims of pages current in ``store`` count."""
    states = page_states(notebooks, store, keys)

    def accept(result: dict) -> str | None:
        fid = result.get("notebook")
        if fid not in notebooks:
            return "its notebook is gone"
        return states[fid]

    pages = []
    for fid, nb in notebooks.items():
        rec = pagecache.read_record(nb.executed(store))
        if states[fid] is None:
            status = "ok"
        elif rec is None:
            status = "not run at this scale"
        elif rec.get("status") != pagecache.OK and rec.get("key") == keys[fid]:
            status = f"{rec['status']}: {rec.get('error')}"
        else:
            status = f"not counted: {states[fid]}"
        pages.append({"notebook": fid, "page": nb.doc, "status": status, "title": nb.title})
    return accept, pages


def scorecard_path(root: Path, store: str) -> Path:
    """Where the scorecard body of ``store`` is written."""
    return staging_dir(root, store) / "book" / "_generated" / "scorecard_body.md"


def write_scorecard(root: Path, store: str, failed: dict[str, str] | None = None, *, keys: dict[str, str] | None = None,
                    notebooks: dict[str, Notebook] | None = None) -> Path:
    """Write ``_build/book/<store>/book/_generated/scorecard_body.md``; returns its path."""
    from dlspectra.book.catalog import discover

    notebooks = notebooks if notebooks is not None else discover(root)
    accept, pages = scorecard_inputs(notebooks, store, keys) if keys is not None else (None, None)
    path = scorecard_path(root, store)
    atomic_write_text(path, render_scorecard(store, failed=failed, accept=accept, pages=pages))
    return path
