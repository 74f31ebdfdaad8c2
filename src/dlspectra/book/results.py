"""The claims registry and the reproduction scorecard.

A notebook records each checkable claim of its paper with :class:`ClaimRecorder`::

    rec = ClaimRecorder("xie/fig01", scale)
    rec.check("mnist-trained-power-law", "Trained LeNet on MNIST: the KS test accepts a power law",
              rule="d_ks < d_c", holds=fit.d_ks < fit.d_c,
              paper={"d_ks": 0.009, "d_c": 0.043}, measured={"d_ks": fit.d_ks, "d_c": fit.d_c})
    rec.save()

The rule is a sentence shown to the reader, and ``holds`` is the same rule evaluated in code on the
line next to it (``None`` when the statistic cannot decide at this scale: verdict "inconclusive").
Verdicts (DESIGN.md): ``reproduced``, ``not reproduced``, ``inconclusive``,
``not run: data missing``, ``not run: scale``.

Each notebook writes one JSON per scale, atomically, to
``$DLSPECTRA_RESULTS/<scale>/<paper>/<figure>.json`` (default ``<book>/_build/results``). Under
``dlspectra book`` the kernel writes into a private folder and the runner copies the file into
the results folder only when the page finished, stamped with the run's id; the scorecard then
counts it only while that run is the page's current one (:mod:`dlspectra.book.pagecache`).
:func:`render_scorecard` turns the folder into the book's scorecard page.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from dlspectra.cache import _jsonable, atomic_write_text, repo_root
from dlspectra.errors import DlspectraError

REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"
INCONCLUSIVE = "inconclusive"
NOT_RUN_DATA = "not run: data missing"
NOT_RUN_SCALE = "not run: scale"
VERDICTS = (REPRODUCED, NOT_REPRODUCED, INCONCLUSIVE, NOT_RUN_DATA, NOT_RUN_SCALE)

PAPERS = {"xie": "Xie et al., On the power-law Hessian spectrums in deep learning",
          "papyan": "Papyan, Traces of class/cross-class structure pervade deep learning spectra",
          "bask": "Baskerville, Granziol, Keating, Appearance of random matrix theory in deep learning"}


def results_root() -> Path:
    """``$DLSPECTRA_RESULTS`` (made absolute), else ``<book>/_build/results`` for the book found
    upward from the cwd (else the installed checkout's, else ``./_build/results``)."""
    env = os.environ.get("DLSPECTRA_RESULTS")
    if env:
        return Path(env).expanduser().resolve()
    try:
        from dlspectra.book.paths import find_checkout

        return find_checkout() / "_build" / "results"
    except DlspectraError:
        repo = repo_root()
        return (repo if repo else Path.cwd()) / "_build" / "results"


@dataclass
class Claim:
    """One checked claim: the paper's statement, the rule, both values and the verdict."""

    claim_id: str
    text: str
    rule: str
    verdict: str
    paper: Any = None
    measured: Any = None
    note: str = ""
    converged: bool | None = None
    """Whether every spectrum behind the claim converged (None: no spectrum, or not stated)."""
    trend: Any = None
    """A scale trend (see :meth:`ClaimRecorder.check`), or None."""


TREND_MOVES = ("toward the paper", "away from the paper", "no clear trend")
"""What a scale trend's ``moves`` says: whether the statistic moves toward the paper's verdict as the setting grows."""


def scale_trend(axis: str, settings: list, values: list, *, moves: str, statistic: str = "") -> dict:
    """A scale trend for :meth:`ClaimRecorder.check`: ``statistic`` measured at increasing ``settings`` of ``axis``.

    ``settings`` and ``values``: equal-length lists (e.g. K = [100, 300, 1000] and d_ks/d_c at each).
    ``moves``: one of :data:`TREND_MOVES`, judged by the page from the numbers it shows.
    """
    if len(settings) != len(values):
        raise ValueError(f"scale trend of {axis!r}: {len(settings)} settings but {len(values)} values")
    if moves not in TREND_MOVES:
        raise ValueError(f"scale trend 'moves' must be one of {TREND_MOVES}, got {moves!r}")
    return {"axis": axis, "statistic": statistic, "settings": _jsonable(list(settings)),
            "values": _jsonable(list(values)), "moves": moves}


@dataclass
class ClaimRecorder:
    """Collects the claims of one notebook at one scale; :meth:`save` writes them."""

    notebook_id: str
    scale: str
    title: str = ""
    page: str = ""  # doc path of the page, e.g. "notebooks/xie/fig01_trained_vs_random"
    claims: list[Claim] = field(default_factory=list)

    def __post_init__(self) -> None:
        if "/" not in self.notebook_id:
            raise ValueError(f"notebook id must look like 'xie/fig01', got {self.notebook_id!r}")

    def _add(self, claim: Claim) -> Claim:
        if any(c.claim_id == claim.claim_id for c in self.claims):
            raise ValueError(f"claim {claim.claim_id!r} recorded twice in {self.notebook_id}")
        if claim.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {claim.verdict!r}; valid: {VERDICTS}")
        self.claims.append(claim)
        return claim

    def check(self, claim_id: str, text: str, *, rule: str, holds: bool | None, paper: Any = None,
              measured: Any = None, note: str = "", converged: bool | None = None,
              trend: dict | None = None) -> Claim:
        """Record a claim whose ``rule`` evaluated to ``holds`` (None: inconclusive at this scale).

        ``converged``: whether every spectrum the claim rests on converged to its tolerance. A claim
        is never decided on an unconverged spectrum: ``converged=False`` makes the verdict
        ``inconclusive`` whatever ``holds`` says, and the note says why (DESIGN.md, Verdicts).
        ``trend``: a :func:`scale_trend` (the same statistic at increasing settings), shown in the scorecard.
        """
        if converged is False:
            verdict = INCONCLUSIVE
            why = "not decided: a spectrum behind this claim did not converge to its tolerance"
            if holds is not None:
                why += f" (the unconverged values would say {'holds' if holds else 'fails'})"
            note = f"{why}. {note}".strip()
        elif holds is None:
            verdict = INCONCLUSIVE
        else:
            verdict = REPRODUCED if bool(holds) else NOT_REPRODUCED
        if trend is not None and not (isinstance(trend, dict) and trend.get("moves") in TREND_MOVES):
            raise ValueError(f"claim {claim_id!r}: trend must come from scale_trend(...), got {trend!r}")
        return self._add(Claim(claim_id, text, rule, verdict, _jsonable(paper), _jsonable(measured), note,
                               None if converged is None else bool(converged), _jsonable(trend)))

    def not_run(self, claim_id: str, text: str, *, reason: str, rule: str = "", paper: Any = None,
                note: str = "") -> Claim:
        """Record a claim that was not checked; ``reason`` is ``"data missing"`` or ``"scale"``."""
        verdict = {"data missing": NOT_RUN_DATA, "scale": NOT_RUN_SCALE}.get(reason)
        if verdict is None:
            raise ValueError(f"reason must be 'data missing' or 'scale', got {reason!r}")
        return self._add(Claim(claim_id, text, rule, verdict, _jsonable(paper), None, note))

    # -- output --------------------------------------------------------------------------
    def as_dict(self) -> dict:
        return {"notebook": self.notebook_id, "scale": self.scale, "title": self.title, "page": self.page,
                "written": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                "claims": [asdict(c) for c in self.claims]}

    def path(self, root: Path | None = None) -> Path:
        paper, fig = self.notebook_id.split("/", 1)
        return (root or results_root()) / self.scale / paper / f"{fig}.json"

    def save(self, root: Path | None = None) -> Path:
        """Write the claims JSON atomically; returns its path."""
        p = self.path(root)
        atomic_write_text(p, json.dumps(self.as_dict(), indent=1))
        return p

    def table(self) -> "ClaimTable":
        """A displayable table (HTML in Jupyter, markdown in text) of the recorded claims."""
        return ClaimTable(self.claims, self.scale)


def format_value(value: Any) -> str:
    """Short human form of a claim value: floats to 4 significant digits, dicts as k = v pairs."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return f"{value:.4g}"
    if isinstance(value, dict):
        return ", ".join(f"{k} = {format_value(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        if len(value) > 8:
            return "[" + ", ".join(format_value(v) for v in value[:8]) + ", …]"
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    return str(value)


# plain symbols that common fonts carry (emoji render as empty boxes without an emoji font)
_BADGE = {REPRODUCED: "✓", NOT_REPRODUCED: "✗", INCONCLUSIVE: "~", NOT_RUN_DATA: "·", NOT_RUN_SCALE: "·"}


@dataclass
class ClaimTable:
    claims: list[Claim]
    scale: str

    def _rows(self) -> list[list[str]]:
        return [[c.text, c.rule, format_value(c.paper), format_value(c.measured), self.scale,
                 f"{_BADGE[c.verdict]} {c.verdict}"] for c in self.claims]

    _HEAD = ["claim", "rule", "paper", "this run", "scale", "verdict"]

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{h}</th>" for h in self._HEAD)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in r) + "</tr>" for r in self._rows())
        return f'<table class="dlspectra-claims"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

    def _repr_markdown_(self) -> str:
        return markdown_table(self._HEAD, self._rows())

    def __repr__(self) -> str:
        return self._repr_markdown_()


def markdown_table(head: list[str], rows: list[list[str]]) -> str:
    """A GitHub/MyST pipe table (pipes in cells escaped)."""
    def cell(v: str) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- scorecard


def scan_results(scale: str, root: Path | None = None) -> tuple[list[dict], list[str]]:
    """Every readable claims JSON of ``scale`` (sorted by notebook id) and one line per file skipped.

    A file that is not valid JSON, or not a claims record of this scale, is skipped and reported,
    never fatal (a truncated file from a killed run, a stray file dropped into the folder).
    """
    folder = (root or results_root()) / scale
    out, skipped = [], []
    for p in sorted(folder.glob("*/*.json")):
        try:
            data = json.loads(p.read_text())
        except (OSError, ValueError) as exc:
            skipped.append(f"{p}: not valid JSON ({type(exc).__name__}); ignored")
            continue
        if not (isinstance(data, dict) and isinstance(data.get("notebook"), str)
                and isinstance(data.get("claims"), list) and data.get("scale") == scale
                and all(isinstance(c, dict) and c.get("verdict") in VERDICTS for c in data["claims"])):
            skipped.append(f"{p}: not a claims file of scale {scale!r}; ignored")
            continue
        out.append(data)
    return sorted(out, key=lambda r: r["notebook"]), skipped


def load_results(scale: str, root: Path | None = None) -> list[dict]:
    """Every readable claims JSON of ``scale``, sorted by notebook id (see :func:`scan_results`)."""
    return scan_results(scale, root)[0]


def verdict_counts(results: list[dict]) -> dict[str, int]:
    counts = {v: 0 for v in VERDICTS}
    for r in results:
        for c in r["claims"]:
            counts[c["verdict"]] += 1
    return counts


def format_trend(claim: dict) -> str:
    """The scale-trend cell of a claim: empty for a reproduced or not-run claim, else the trend or "no trend"."""
    if claim.get("verdict") not in (NOT_REPRODUCED, INCONCLUSIVE):
        return ""
    t = claim.get("trend")
    if not t:
        return "no trend computed"
    pairs = ", ".join(f"{format_value(s)}: {format_value(v)}" for s, v in zip(t["settings"], t["values"]))
    stat = f" {t['statistic']}" if t.get("statistic") else ""
    return f"{t['moves']} ({t['axis']}{stat} — {pairs})"


def _link(notebook: str, page: str | None) -> str:
    return f"{{doc}}`{notebook} </{page}>`" if page else notebook


def render_scorecard(scale: str, root: Path | None = None, failed: dict[str, str] | None = None, *,
                     accept=None, pages: list[dict] | None = None, notes: list[str] | None = None) -> str:
    """Markdown (MyST) body of the scorecard: totals, one row per page, then every claim per paper.

    ``failed``: notebooks that failed in this build (id -> error line), listed first.
    ``accept``: ``f(result) -> None | reason``; a claims file with a reason is not counted and is
    listed with it (the runner passes one that accepts only pages current in this build).
    ``pages``: every page of the book, in order, as ``{"notebook", "page", "status"}``; when given,
    the per-page table lists each of them (status: ``ok`` or why its claims are not counted).
    ``notes``: further lines listed under "not counted".
    """
    scanned, skipped = scan_results(scale, root)
    results, rejected = [], list(skipped)
    for r in scanned:
        why = accept(r) if accept is not None else None
        if why:
            rejected.append(f"`{r['notebook']}`: {why}")
        else:
            results.append(r)
    rejected += list(notes or [])
    lines = [f"Scale **`{scale}`**; generated {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC "
             f"from {len(results)} executed notebook(s).", ""]
    if failed:
        lines += ["```{warning}", "These notebooks failed in this build; their claims are not counted:", ""]
        lines += [f"- `{k}`: {v}" for k, v in sorted(failed.items())]
        lines += ["```", ""]
    if rejected:
        lines += ["```{note}", "Not counted (claims that this build did not produce at this scale):", ""]
        lines += [f"- {x}" for x in rejected]
        lines += ["```", ""]
    if not results and not pages:
        return "\n".join(lines + ["No results yet: run `dlspectra book` (or `make book`)."]) + "\n"
    total = verdict_counts(results)
    lines += ["## Totals", "", markdown_table(["paper", *VERDICTS], [
        [key, *[str(verdict_counts([r for r in results if r["notebook"].startswith(key + "/")])[v]) for v in VERDICTS]]
        for key in PAPERS if any(r["notebook"].startswith(key + "/") for r in results)]
        + [["**all**", *[f"**{total[v]}**" for v in VERDICTS]]]), ""]
    by_id = {r["notebook"]: r for r in results}
    rows = []
    for pg in pages if pages is not None else [{"notebook": r["notebook"], "page": r.get("page"), "status": "ok"}
                                                 for r in results]:
        r = by_id.get(pg["notebook"])
        counts = verdict_counts([r]) if r else None
        rows.append([_link(pg["notebook"], pg.get("page") or (r or {}).get("page")),
                     *[str(counts[v]) if counts else "—" for v in VERDICTS], pg.get("status", "ok")])
    if rows:
        lines += ["## Pages", "", markdown_table(["page", *VERDICTS, "status"], rows), ""]
    for key, title in PAPERS.items():
        papers_results = [r for r in results if r["notebook"].startswith(key + "/")]
        if not papers_results:
            continue
        lines += [f"## {title}", ""]
        rows = []
        for r in papers_results:
            link = _link(r["notebook"], r.get("page"))
            for c in r["claims"]:
                rows.append([link, c["text"], format_value(c["paper"]), format_value(c["measured"]), r["scale"],
                             f"{_BADGE[c['verdict']]} {c['verdict']}", format_trend(c)])
        lines += [markdown_table(["figure", "claim", "paper", "this run", "scale", "verdict", "scale trend"], rows), ""]
    return "\n".join(lines) + "\n"
