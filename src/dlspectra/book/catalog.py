"""The book's catalog: which notebook pages exist, their ids, titles and the table of contents.

- :func:`discover`: every ``notebooks/<paper>/<id>_<slug>.py`` of the checkout, keyed by figure id
  (``xie/fig01``), in the catalogs' order (:data:`dlspectra.book.scales.FIGURE_IDS`);
- :func:`select`: the pages named by ``--only`` (unknown ids raise, listing the valid ones);
- :func:`render_toc` / :func:`write_toc`: the ``_toc.yml`` (intro, the chapters of
  :data:`READING_CHAPTERS`, one part per paper with its pages in order).

A page's executed copy and its claims live elsewhere (:meth:`Notebook.executed`,
:meth:`Notebook.claims`): the reader's ``notebooks/`` folder is never written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dlspectra.errors import DlspectraError, UnknownNameError
from dlspectra.book.paths import find_checkout, pages_dir
from dlspectra.book.results import PAPERS, ClaimRecorder, results_root
from dlspectra.book.chapter_library import API_DOC as LIBRARY_API_DOC, CAPTION as LIBRARY_CAPTION
from dlspectra.book.chapter_library import CHAPTER as LIBRARY_CHAPTER, KEY as LIBRARY
from dlspectra.book.scales import FIGURE_IDS, check_figure_id

NOTEBOOK_RE = re.compile(r"^(?P<fig>(fig|tab|figA|thm)\w*?\d+|decomp|quickstart)_(?P<slug>[a-z0-9_]+)\.py$")
"""A page's file name: ``<id>_<slug>.py`` (``fig03_optimizers.py``, ``figA10_...``, ``decomp_...``)."""

READING_CHAPTERS: list[str] = ["book/methods", "book/scorecard"]
"""The hand-written chapters of the part "Reading this book", in order (doc paths under the checkout)."""

REUSES: dict[str, tuple[str, ...]] = {
    "xie/fig02": ("xie/fig01",), "xie/fig03": ("xie/fig01",), "xie/fig06": ("xie/fig01",),
    "xie/fig09": ("xie/fig08",), "xie/fig11": ("xie/fig01",), "xie/fig12": ("xie/fig01", "xie/fig02"),
    "xie/fig16": ("xie/fig03",), "xie/fig17": ("xie/fig15",), "xie/fig18": ("xie/fig04",),
    "xie/fig19": ("xie/fig14",), "xie/fig20": ("xie/fig04",), "xie/fig21": ("xie/fig07",),
    "xie/tab01": ("xie/fig01",), "xie/tab02": ("xie/fig02", "xie/fig12"), "xie/tab03": ("xie/fig06",),
    "xie/tab04": ("xie/fig10",), "xie/tab06": ("xie/fig01", "xie/fig02", "xie/fig03", "xie/fig05", "xie/fig06",
                                               "xie/fig07", "xie/fig21"),
    "xie/tab07": ("xie/fig15",), "xie/tab08": ("xie/fig04", "xie/fig13", "xie/fig18"),
    "xie/tab09": ("xie/fig14", "xie/fig19"), "xie/tab10": ("xie/fig04",), "xie/tab11": ("xie/fig08", "xie/fig09"),
    "xie/tab12": ("xie/fig10",), "xie/tab13": ("xie/fig10",),
}
"""The pages whose cached runs (trained models, spectra) a page reads, as its introduction says. The
runner with several jobs starts a page only once those of them in the same build have finished, so
that a worker does not sit on a cache lock while another computes the run it needs (measured: cold,
at two jobs, ``xie/fig17`` ran beside ``xie/fig15`` for 443 s, mostly waiting on its optimizer runs).
Ids are checked against the catalog by a test; a missing entry costs time, never a result."""

PAPER_CAPTIONS: dict[str, str] = {"xie": "Xie et al. — power-law Hessian spectra",
                                  "papyan": "Papyan — class/cross-class structure",
                                  "bask": "Baskerville et al. — random matrix theory"}
"""The caption of each paper's part of the book."""


def project_root() -> Path:
    """The book's folder (``_config.yml`` and ``notebooks/``): ``$DLSPECTRA_BOOK_ROOT`` if set, else the
    current folder or its first parent that holds one (never where the package is installed)."""
    return find_checkout()


@dataclass
class Notebook:
    """One page of the book: its figure id and its Jupytext source ``notebooks/<paper>/<id>_<slug>.py``."""

    figure_id: str
    source: Path

    @property
    def root(self) -> Path:
        return self.source.parents[2]

    @property
    def paper(self) -> str:
        return self.figure_id.split("/", 1)[0]

    @property
    def doc(self) -> str:
        """The page's doc path in the book, e.g. ``notebooks/xie/fig01_trained_vs_random``."""
        return str(self.source.relative_to(self.root).with_suffix(""))

    def executed(self, scale: str) -> Path:
        """The executed page of ``scale`` (``_build/pages/<scale>/<paper>/<stem>.ipynb``)."""
        return pages_dir(self.root, scale) / self.source.parent.name / f"{self.source.stem}.ipynb"

    def claims(self, scale: str) -> Path:
        """Where this page's claims JSON of ``scale`` lives."""
        return ClaimRecorder(self.figure_id, scale).path(results_root())

    @property
    def title(self) -> str:
        """The page's first ``# # `` heading (its title), else its figure id."""
        for line in self.source.read_text().splitlines():
            if line.startswith("# # "):
                return line[4:].strip()
        return self.figure_id


def discover(root: Path | None = None) -> dict[str, Notebook]:
    """Every notebook source, keyed by figure id (``xie/fig01``), in the catalogs' order."""
    root = root or project_root()
    found: dict[str, Notebook] = {}
    for paper in (*PAPERS, LIBRARY):
        for src in sorted((root / "notebooks" / paper).glob("*.py")):
            m = NOTEBOOK_RE.match(src.name)
            if not m:
                raise DlspectraError(f"notebook file name {src} does not follow <id>_<slug>.py (e.g. fig03_optimizers.py)")
            fid = f"{paper}/{m.group('fig')}"
            check_figure_id(fid)
            if fid in found:
                raise DlspectraError(f"two notebooks for {fid}: {found[fid].source.name} and {src.name}")
            found[fid] = Notebook(fid, src)
    order = {f: i for i, f in enumerate(FIGURE_IDS)}
    return dict(sorted(found.items(), key=lambda kv: order[kv[0]]))


def select(notebooks: dict[str, Notebook], only: list[str] | None) -> list[Notebook]:
    """The notebooks named by ``--only`` (all when None); unknown ids raise listing the valid ones."""
    if not only:
        return list(notebooks.values())
    out = []
    for fid in dict.fromkeys(only):  # an id named twice runs once
        if fid not in notebooks:
            if fid in FIGURE_IDS:
                raise UnknownNameError(f"{fid!r} has no notebook yet; notebooks: {', '.join(notebooks)}")
            raise UnknownNameError(f"unknown figure id {fid!r}; valid ids with notebooks: {', '.join(notebooks)}")
        out.append(notebooks[fid])
    return out


def render_toc(notebooks: dict[str, Notebook]) -> str:
    """The ``_toc.yml`` for the book: intro, :data:`READING_CHAPTERS`, one part per paper with its pages."""
    lines = ["# Generated by `dlspectra toc` from the notebooks present: edit the generator, not this file.",
             "format: jb-book", "root: book/intro", "parts:",
             "  - caption: Reading this book", "    chapters:"]
    lines += [f"      - file: {doc}" for doc in READING_CHAPTERS]
    lib = [nb for nb in notebooks.values() if nb.paper == LIBRARY]
    lines += [f"  - caption: {LIBRARY_CAPTION}", "    chapters:", f"      - file: {LIBRARY_CHAPTER}",
              "        sections:"]
    lines += [f"          - file: {nb.doc}" for nb in lib] + [f"          - file: {LIBRARY_API_DOC}"]
    for paper in PAPERS:
        nbs = [nb for nb in notebooks.values() if nb.paper == paper]
        lines += [f"  - caption: {PAPER_CAPTIONS[paper]}", "    chapters:", f"      - file: book/{paper}"]
        if nbs:
            lines.append("        sections:")
            lines += [f"          - file: {nb.doc}" for nb in nbs]
    return "\n".join(lines) + "\n"


def write_toc(root: Path, notebooks: dict[str, Notebook]) -> bool:
    """Rewrite ``_toc.yml`` if it differs; returns whether it changed."""
    from dlspectra.cache import atomic_write_text

    text = render_toc(notebooks)
    path = root / "_toc.yml"
    if path.exists() and path.read_text() == text:
        return False
    atomic_write_text(path, text)
    return True
