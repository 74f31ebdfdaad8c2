"""What every notebook page does first and last: parameters, preset, claims, setup table.

``page = start("xie/fig01", scale, device, title=...)`` validates the scale and the id, loads the
preset, fixes the seeds and the thread count, applies the plotting style and opens a
:class:`~dlspectra.book.results.ClaimRecorder` whose page link points at this notebook.
``page.setup(rows)`` shows the "paper vs this run" table; ``page.finish()`` saves the claims
(atomically) and shows them.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from dlspectra.cache import repo_root
from dlspectra.errors import DlspectraError
from dlspectra.book.paths import find_checkout
from dlspectra.book.plotting import use_style
from dlspectra.book.results import ClaimRecorder, markdown_table
from dlspectra.book.scales import check_figure_id, check_scale, preset
from dlspectra.train import resolve_device


class Markdown:
    """Minimal displayable markdown (no IPython import needed)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def book_root() -> Path | None:
    """The book this page belongs to: found upward from the cwd (``$DLSPECTRA_BOOK_ROOT`` first), else the installed checkout."""
    try:
        return find_checkout()
    except DlspectraError:
        return repo_root()


def notebook_source(figure_id: str) -> Path | None:
    """``notebooks/<paper>/<id>_<slug>.py`` of a figure id, if the book has it."""
    repo = book_root()
    if repo is None:
        return None
    paper, fig = figure_id.split("/")
    hits = sorted((repo / "notebooks" / paper).glob(f"{fig}_*.py"))
    return hits[0] if hits else None


@dataclass
class Page:
    figure_id: str
    scale: str
    device: torch.device
    preset: dict
    claims: ClaimRecorder

    def setup(self, rows: list[list], head: tuple[str, str, str] = ("", "paper", "this run")) -> Markdown:
        """The setup table: one row per setting, paper value beside ours."""
        return Markdown(markdown_table(list(head), [[str(c) for c in r] for r in rows]))

    def declare(self, registry) -> list:
        """Declare this page's claims from a paper's registry (``{"xie/fig01": [ClaimSpec, ...]}``)
        or from a list of :class:`~dlspectra.book.rules.ClaimSpec`; returns the specs in order."""
        specs = registry.get(self.figure_id) if isinstance(registry, dict) else registry
        if specs is None:
            raise DlspectraError(f"{self.figure_id}: the claims registry has no entry for this page; "
                                 f"it has {sorted(registry)}")
        return self.claims.declare(specs)

    def finish(self):
        """Save the claims JSON (refused with the reason when a declared claim is left undecided or
        a failure carries no ladder) and return the claims table for display.

        Before the table it displays the page's identity checks and, when a claim that fails or is
        inconclusive carries one, the ladder table and figure (:mod:`dlspectra.book.ladder`).
        """
        from dlspectra.book.ladder import ladder_figure, ladder_table

        self.claims.save()
        try:
            from IPython.display import display
        except ImportError:  # outside Jupyter: the caller prints the returned table
            display = None
        if display is not None:
            if self.claims.checks:
                display(Markdown("**Identity checks** (hold by construction; not claims of the paper, not counted):\n\n"
                                 + self.claims.checks_table()))
            failing = [c for c in self.claims.claims if c.verdict in ("not reproduced", "inconclusive")]
            if any(c.ladder for c in failing):
                display(Markdown("**Ladders** of the claims that fail or cannot decide at this scale "
                                 "(the paper's setting is the top rung):\n\n" + ladder_table(failing)))
                fig = ladder_figure(failing)
                if fig is not None:
                    import matplotlib.pyplot as plt

                    display(fig)
                    plt.close(fig)
        return self.claims.table()


def start(figure_id: str, scale: str, device: str = "auto", *, title: str = "", seed: int = 0) -> Page:
    """Open a notebook page (see the module docstring)."""
    check_scale(scale)
    check_figure_id(figure_id)
    p = preset(scale, figure_id)
    threads = os.environ.get("DLSPECTRA_THREADS") or p.get("threads")
    if threads:
        torch.set_num_threads(int(threads))
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    use_style()
    src = notebook_source(figure_id)
    page = str(src.relative_to(book_root()).with_suffix("")) if src is not None else ""
    rec = ClaimRecorder(figure_id, scale, title=title, page=page)
    return Page(figure_id, scale, resolve_device(device), p, rec)
