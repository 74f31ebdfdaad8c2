"""Claims: what each page records, and how it is written to disk.

A page declares its claims as data (:class:`~dlspectra.book.rules.ClaimSpec`, each with its
:class:`~dlspectra.book.rules.Rule`), then decides each from its measured value::

    rec = ClaimRecorder("xie/fig01", scale)
    rec.declare(SPECS)                                   # before any number is computed
    rec.decide("mnist-trained-accepted", fit.d_ks / fit.d_c, converged=run.converged,
               ladder=climb(SPECS[0].rule, "epochs", [5, 10, 20], ratios, paper_setting=50))
    rec.not_run_rest("data missing")                     # what a missing data set leaves undecided
    rec.save()

The verdict comes from the rule (``reproduced``, ``not reproduced``, ``inconclusive`` when the rule
cannot decide or a spectrum behind it did not converge; ``not run: data missing``, ``not run:
scale``). A claim that fails or is inconclusive carries a :class:`~dlspectra.book.ladder.Ladder` over
the axis it declared, or the declared reason it has none: :meth:`ClaimRecorder.save` refuses a page
that leaves a declared claim undecided or a failure without either. An identity that holds by
construction is not a claim: :meth:`ClaimRecorder.identity` records it as a check, shown on the
page and never counted, and a failing check stops the page.

Each notebook writes one JSON per scale, atomically, to
``$DLSPECTRA_RESULTS/<scale>/<paper>/<figure>.json`` (default ``<book>/_build/results``). Under
``dlspectra book`` the kernel writes into a private folder and the runner copies the file into
the results folder only when the page finished, stamped with the run's id; the scorecard
(:mod:`dlspectra.book.scorecard`) counts it only while that run is the page's current one
(:mod:`dlspectra.book.pagecache`).
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from dlspectra import budget
from dlspectra.cache import _jsonable, atomic_write_text, repo_root
from dlspectra.errors import DlspectraError
from dlspectra.book.ladder import TREND_MOVES, Ladder, ladder_summary
from dlspectra.book.markdown import markdown_table
from dlspectra.book.reference import Reference
from dlspectra.book.rules import ClaimSpec, Estimate

REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"
INCONCLUSIVE = "inconclusive"
NOT_RUN_DATA = "not run: data missing"
NOT_RUN_SCALE = "not run: scale"
VERDICTS = (REPRODUCED, NOT_REPRODUCED, INCONCLUSIVE, NOT_RUN_DATA, NOT_RUN_SCALE)

SMOKE_NOTE = "smoke run (budgets capped): this value tests that the code runs, it is no evidence"
"""The note of every claim decided under a smoke run (``$DLSPECTRA_SMOKE`` set; :mod:`dlspectra.budget`)."""

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
    """A legacy K trend (:func:`scale_trend`, pages not yet on declared rules), or None."""
    quote: str = ""
    """The paper's words the rule encodes (declared claims)."""
    where: str = ""
    """Where the quote stands in the paper."""
    statistic: str = ""
    ladder: Any = None
    """The claim's :class:`~dlspectra.book.ladder.Ladder` as a dict, or None."""
    no_ladder: str = ""
    """Why the claim has no ladder (declared with it), shown when it fails."""
    declared: bool = False
    smoke_verdict: str = ""
    """Under a smoke run (budgets capped): the verdict the capped numbers gave; the verdict is then "not run: scale"."""


@dataclass
class Check:
    """An identity that holds by construction (e.g. rank ≤ C², Σ_c′ w g = 0): shown on the page, never counted."""

    check_id: str
    text: str
    holds: bool
    measured: Any = None
    why: str = ""


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
    checks: list[Check] = field(default_factory=list)
    specs: dict[str, ClaimSpec] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if "/" not in self.notebook_id:
            raise ValueError(f"notebook id must look like 'xie/fig01', got {self.notebook_id!r}")

    # -- declared claims -------------------------------------------------------------------
    def declare(self, specs: Iterable[ClaimSpec]) -> list[ClaimSpec]:
        """Declare the page's claims (before any number is computed); returns them in order."""
        out = []
        for spec in specs:
            if not isinstance(spec, ClaimSpec):
                raise TypeError(f"declare() takes ClaimSpec values, got {type(spec).__name__}")
            if spec.claim_id in self.specs:
                raise ValueError(f"claim {spec.claim_id!r} declared twice in {self.notebook_id}")
            self.specs[spec.claim_id] = spec
            out.append(spec)
        return out

    def spec(self, claim_id: str) -> ClaimSpec:
        try:
            return self.specs[claim_id]
        except KeyError:
            raise DlspectraError(f"{self.notebook_id}: claim {claim_id!r} was not declared; declared: "
                                 f"{sorted(self.specs)}") from None

    def decide(self, claim_id: str, value: Any, *, converged: bool | None = None, ladder: Ladder | None = None,
               measured: Any = None, note: str = "", text: str = "", paper: Any = None) -> Claim:
        """Decide a declared claim from ``value``, the statistic its rule reads (a float or an
        :class:`~dlspectra.book.rules.Estimate`).

        ``converged=False`` (a spectrum behind the claim did not converge) makes it inconclusive.
        ``ladder``: required when the claim fails or is inconclusive, unless its spec declares
        ``no_ladder``; its axis must be the declared one. ``measured``: further numbers shown
        beside the value (default: the value itself). ``text``/``paper`` override the spec's
        (e.g. a per-data-set id built from one spec).
        """
        spec = self.spec(claim_id)
        rule = spec.rule
        holds = rule.holds(value)
        if converged is False:
            verdict = INCONCLUSIVE
            why = "not decided: a spectrum behind this claim did not converge to its tolerance"
            if holds is not None:
                why += f" (the unconverged values would say {'holds' if holds else 'fails'})"
            note = f"{why}. {note}".strip()
        elif holds is None:
            verdict = INCONCLUSIVE
        else:
            verdict = REPRODUCED if holds else NOT_REPRODUCED
        if ladder is not None:
            if not isinstance(ladder, Ladder):
                raise TypeError(f"claim {claim_id!r}: ladder must come from dlspectra.book.ladder.climb(...)")
            if spec.ladder is not None and ladder.axis not in (spec.ladder, "K re-read") or \
                    spec.ladder is None and ladder.axis != "K re-read":
                raise DlspectraError(f"{self.notebook_id}: claim {claim_id!r} declared a ladder over "
                                     f"{spec.ladder!r} but was given one over {ladder.axis!r}")
        shown = measured if measured is not None else (value.as_dict() if isinstance(value, Estimate) else value)
        paper_value = paper if paper is not None else spec.paper
        if isinstance(paper_value, Reference):
            paper_value = str(paper_value)
        claim = Claim(claim_id, text or spec.text, rule.sentence, verdict, _jsonable(paper_value), _jsonable(shown),
                      note, None if converged is None else bool(converged), None, rule.quote, rule.where,
                      rule.statistic, _jsonable(ladder.as_dict()) if ladder is not None else None, spec.no_ladder,
                      True)
        return self._add(claim)

    def not_run_rest(self, reason: str, *, note: str = "") -> list[Claim]:
        """Record every declared claim not yet decided as not run (``reason``: ``"data missing"`` or ``"scale"``)."""
        done = {c.claim_id for c in self.claims}
        out = []
        for cid, spec in self.specs.items():
            if cid not in done:
                c = self.not_run(cid, spec.text, reason=reason, rule=spec.rule.sentence, paper=spec.paper, note=note)
                c.quote, c.where, c.statistic, c.declared = spec.rule.quote, spec.rule.where, spec.rule.statistic, True
                out.append(c)
        return out

    def identity(self, check_id: str, text: str, *, holds: bool, measured: Any = None, why: str = "") -> Check:
        """Record an identity that holds by construction (a check of the code, not a claim of the paper).

        It is shown on the page in its own table and never counted in the scorecard; a check that
        fails makes :meth:`save` raise, naming it (it is a defect, not a finding).
        """
        if any(c.check_id == check_id for c in self.checks):
            raise ValueError(f"check {check_id!r} recorded twice in {self.notebook_id}")
        chk = Check(check_id, text, bool(holds), _jsonable(measured), why)
        self.checks.append(chk)
        return chk

    def problems(self) -> list[str]:
        """What :meth:`save` refuses: declared claims left undecided, failing declared claims with
        neither a ladder nor a declared reason, failing identity checks."""
        out = []
        done = {c.claim_id for c in self.claims}
        out += [f"claim {cid!r} was declared but neither decided nor recorded as not run" for cid in self.specs
                if cid not in done]
        for c in self.claims:
            if c.declared and c.verdict in (NOT_REPRODUCED, INCONCLUSIVE) and not c.ladder and not c.no_ladder:
                out.append(f"claim {c.claim_id!r} is {c.verdict} but carries no ladder (declared axis "
                           f"{self.specs[c.claim_id].ladder!r}); pass ladder=climb(...)")
        out += [f"identity check {c.check_id!r} fails: {c.text} (measured {format_value(c.measured)})"
                for c in self.checks if not c.holds]
        return out

    def _add(self, claim: Claim) -> Claim:
        if any(c.claim_id == claim.claim_id for c in self.claims):
            raise ValueError(f"claim {claim.claim_id!r} recorded twice in {self.notebook_id}")
        if claim.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {claim.verdict!r}; valid: {VERDICTS}")
        if budget.active() and claim.verdict not in (NOT_RUN_DATA, NOT_RUN_SCALE):
            claim.smoke_verdict, claim.verdict = claim.verdict, NOT_RUN_SCALE
            claim.note = f"{SMOKE_NOTE}. {claim.note}".strip()
        self.claims.append(claim)
        return claim

    def check(self, claim_id: str, text: str, *, rule: str, holds: bool | None, paper: Any = None,
              measured: Any = None, note: str = "", converged: bool | None = None,
              trend: dict | None = None) -> Claim:
        """Record a claim whose ``rule`` evaluated to ``holds`` (None: inconclusive at this scale).

        ``converged``: whether every spectrum the claim rests on converged to its tolerance. A claim
        is never decided on an unconverged spectrum: ``converged=False`` makes the verdict
        ``inconclusive`` whatever ``holds`` says, and the note says why.
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
                "claims": [asdict(c) for c in self.claims], "checks": [asdict(c) for c in self.checks]}

    def path(self, root: Path | None = None) -> Path:
        paper, fig = self.notebook_id.split("/", 1)
        return (root or results_root()) / self.scale / paper / f"{fig}.json"

    def save(self, root: Path | None = None) -> Path:
        """Write the claims JSON atomically; returns its path. Raises :class:`DlspectraError` listing
        :meth:`problems` (nothing is written then)."""
        bad = self.problems()
        if bad:
            raise DlspectraError(f"{self.notebook_id}: the claims cannot be saved:\n  - " + "\n  - ".join(bad))
        p = self.path(root)
        atomic_write_text(p, json.dumps(self.as_dict(), indent=1))
        return p

    def table(self) -> "ClaimTable":
        """A displayable table (HTML in Jupyter, markdown in text) of the recorded claims."""
        return ClaimTable(self.claims, self.scale)

    def checks_table(self) -> str:
        """Markdown table of the identity checks (empty string when there are none)."""
        if not self.checks:
            return ""
        return markdown_table(["identity (holds by construction, not counted)", "measured", "holds", "why"],
                              [[c.text, format_value(c.measured), "yes" if c.holds else "NO", c.why] for c in self.checks])


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
        rows = []
        for c in self.claims:
            rule = c.rule + (f" — “{c.quote}” ({c.where})" if c.quote else "")
            lad = ""
            if c.verdict in (NOT_REPRODUCED, INCONCLUSIVE):
                lad = ladder_summary(c.ladder) if c.ladder else (f"no ladder: {c.no_ladder}" if c.no_ladder else "")
            rows.append([c.text, rule, format_value(c.paper), format_value(c.measured), self.scale,
                         f"{_BADGE[c.verdict]} {c.verdict}", lad])
        return rows

    _HEAD = ["claim", "rule (the paper's words)", "paper", "this run", "scale", "verdict", "ladder"]

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{h}</th>" for h in self._HEAD)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in r) + "</tr>" for r in self._rows())
        return f'<table class="dlspectra-claims"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

    def _repr_markdown_(self) -> str:
        return markdown_table(self._HEAD, self._rows())

    def __repr__(self) -> str:
        return self._repr_markdown_()
