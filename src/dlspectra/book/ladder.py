"""Scale ladders: one claim's statistic at several rungs of the setting that limits it.

A claim that fails or cannot decide at a scale says whether that is the setting or the paper: the
same statistic, decided by the same :class:`~dlspectra.book.rules.Rule`, at three or more rungs of
one setting (epochs, training-set size, Hessian samples, width, number of batch spectra, ...), the
paper's own setting as the top rung (``not run: scale`` where the CPU cannot reach it)::

    lad = climb(rule, "epochs", [5, 10, 20], [d5, d10, d20], paper_setting=350,
                paper_note="about 6 h on 2 cores")

``lad.moves`` says whether the rule's margin grows toward the claim holding as the setting grows
(``"toward the paper"``), shrinks (``"away from the paper"``) or neither (``"no clear trend"``),
judged by the rank correlation of rung and margin over the computed rungs (|ρ| ≥ 0.8, at least
three of them). The paper-agnostic drawing and table are :func:`ladder_figure` and
:func:`ladder_table`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dlspectra.book.markdown import markdown_table
from dlspectra.book.rules import LADDER_AXES, Estimate, Rule

__all__ = ["Rung", "Ladder", "climb", "TREND_MOVES", "ladder_table", "ladder_figure", "ladder_summary"]

TREND_MOVES = ("toward the paper", "away from the paper", "no clear trend")
MIN_RUNGS = 3
"""A ladder has at least this many rungs, the paper's among them, and at least two computed."""

_RUNG_VERDICTS = ("reproduced", "not reproduced", "inconclusive", "not run: scale", "not run: data missing")


@dataclass(frozen=True)
class Rung:
    """One rung: the ``setting``, the statistic's ``value`` there (None: not run), the rule's verdict and margin."""

    setting: Any
    value: Any
    verdict: str
    margin: float
    paper: bool = False
    note: str = ""

    def as_dict(self) -> dict:
        v = self.value.as_dict() if isinstance(self.value, Estimate) else self.value
        return {"setting": self.setting, "value": v, "verdict": self.verdict,
                "margin": None if math.isnan(self.margin) else round(float(self.margin), 6),
                "paper": self.paper, "note": self.note}


@dataclass(frozen=True)
class Ladder:
    """A claim's ladder over ``axis`` (one of :data:`dlspectra.book.rules.LADDER_AXES`)."""

    axis: str
    statistic: str
    rungs: tuple[Rung, ...]
    moves: str
    unit: str = ""
    why_k: str = ""
    """For a ``"K re-read"`` ladder: why K alone limits the claim (required)."""

    @property
    def computed(self) -> list[Rung]:
        return [r for r in self.rungs if r.value is not None]

    def as_dict(self) -> dict:
        return {"axis": self.axis, "statistic": self.statistic, "unit": self.unit, "moves": self.moves,
                "why_k": self.why_k, "rungs": [r.as_dict() for r in self.rungs]}


def _verdict(holds: bool | None) -> str:
    return "inconclusive" if holds is None else "reproduced" if holds else "not reproduced"


def _moves(margins: list[float]) -> str:
    m = [x for x in margins if not math.isnan(x)]
    if len(m) < MIN_RUNGS or np.ptp(m) == 0:
        return "no clear trend"
    ranks = np.argsort(np.argsort(m)).astype(float)
    rho = float(np.corrcoef(np.arange(len(m), dtype=float), ranks)[0, 1])
    return "toward the paper" if rho >= 0.8 else "away from the paper" if rho <= -0.8 else "no clear trend"


def climb(rule: Rule, axis: str, settings: Sequence[Any], values: Sequence[Any], *, paper_setting: Any,
          paper_value: Any = None, paper_note: str = "", converged: Sequence[bool | None] | None = None,
          notes: Sequence[str] | None = None, unit: str = "", why_k: str = "") -> Ladder:
    """The ladder of ``rule`` over ``settings`` (ascending, the page's own setting among them).

    ``values[i]``: the rule's statistic at ``settings[i]`` (None: that rung was not run);
    ``converged[i]`` False makes a rung inconclusive (a rung never rests on an unconverged spectrum).
    ``paper_setting``: the paper's value of the axis; when it is not among ``settings`` it is
    appended as the top rung, computed from ``paper_value`` if given, else ``not run: scale``
    with ``paper_note`` (what it would cost). ``why_k``: required for ``axis="K re-read"``.
    """
    if axis not in LADDER_AXES:
        raise ValueError(f"ladder axis {axis!r} is not one of {LADDER_AXES}")
    if axis == "K re-read" and not why_k.strip():
        raise ValueError("a 'K re-read' ladder re-reads one spectrum: say in why_k why K alone limits this claim")
    if len(settings) != len(values):
        raise ValueError(f"ladder over {axis!r}: {len(settings)} settings but {len(values)} values")
    converged = list(converged) if converged is not None else [None] * len(settings)
    notes = list(notes) if notes is not None else [""] * len(settings)
    if len(converged) != len(settings) or len(notes) != len(settings):
        raise ValueError(f"ladder over {axis!r}: converged/notes must have one entry per setting")
    rungs: list[Rung] = []
    for s, v, c, n in zip(settings, values, converged, notes):
        rungs.append(_rung(rule, s, v, c, n, paper=_same(s, paper_setting)))
    if not any(r.paper for r in rungs):
        rungs.append(_rung(rule, paper_setting, paper_value, None, paper_note, paper=True))
    if len(rungs) < MIN_RUNGS:
        raise ValueError(f"ladder over {axis!r}: {len(rungs)} rungs (the paper's included); a ladder has at least {MIN_RUNGS}")
    if sum(r.value is not None for r in rungs) < 2:
        raise ValueError(f"ladder over {axis!r}: fewer than two rungs computed; that is no ladder")
    moves = _moves([r.margin for r in rungs if r.value is not None and r.note != "unconverged"])
    return Ladder(axis, rule.statistic, tuple(rungs), moves, unit, why_k)


def _same(a: Any, b: Any) -> bool:
    try:
        return a == b
    except Exception:  # noqa: BLE001 - arrays and the like
        return False


def _rung(rule: Rule, setting: Any, value: Any, converged: bool | None, note: str, *, paper: bool) -> Rung:
    if value is None:
        return Rung(setting, None, "not run: scale", float("nan"), paper, note or "not run at this scale")
    if converged is False:
        return Rung(setting, value, "inconclusive", rule.margin(value), paper, "unconverged")
    return Rung(setting, value, _verdict(rule.holds(value)), rule.margin(value), paper, note)


# ----------------------------------------------------------------------------- display

_MARK = {"reproduced": "✓", "not reproduced": "✗", "inconclusive": "~", "not run: scale": "·",
         "not run: data missing": "·"}


def _value_text(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, Estimate):
        return f"{v.value:.4g} [{v.lo:.4g}, {v.hi:.4g}]"
    if isinstance(v, dict) and {"value", "lo", "hi"} <= set(v):
        return f"{v['value']:.4g} [{v['lo']:.4g}, {v['hi']:.4g}]"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def ladder_summary(ladder: dict | Ladder) -> str:
    """One line: ``toward the paper (epochs: 5 ✗, 10 ✗, 20 ✓, 350 paper ·)``."""
    d = ladder.as_dict() if isinstance(ladder, Ladder) else ladder
    parts = [f"{r['setting']}{' (paper)' if r.get('paper') else ''} {_MARK.get(r['verdict'], '?')}" for r in d["rungs"]]
    label = "re-read at smaller K" if d["axis"] == "K re-read" else d["axis"]
    return f"{d['moves']} ({label}: {', '.join(parts)})"


def ladder_table(claims: Sequence[Any]) -> str:
    """Markdown table of every ladder of ``claims`` (:class:`~dlspectra.book.results.Claim` or dicts):
    one row per rung, with the claim, setting, statistic, verdict and note."""

    rows = []
    for c in claims:
        d = c if isinstance(c, dict) else c.__dict__
        lad = d.get("ladder")
        if not lad:
            if d.get("no_ladder") and d.get("verdict") in ("not reproduced", "inconclusive"):
                rows.append([d["claim_id"], "—", "—", "—", "—", f"no ladder: {d['no_ladder']}"])
            continue
        for r in lad["rungs"]:
            rows.append([d["claim_id"], f"{lad['axis']} = {r['setting']}" + (" (paper)" if r["paper"] else ""),
                         f"{lad['statistic']} = {_value_text(r['value'])}", f"{_MARK.get(r['verdict'], '?')} {r['verdict']}",
                         "" if r["margin"] is None else f"{r['margin']:.3g}", r["note"]])
    if not rows:
        return "Every claim on this page holds at this scale: no ladder needed."
    return markdown_table(["claim", "rung", "statistic", "verdict", "margin", "note"], rows)


def ladder_figure(claims: Sequence[Any], *, max_cols: int = 2):
    """A figure with one small panel per ladder: the rule's margin against the rung (zero line: the
    rule's threshold; above it the claim holds). Returns the matplotlib figure, or None without ladders."""
    import matplotlib.pyplot as plt

    lads = []
    for c in claims:
        d = c if isinstance(c, dict) else c.__dict__
        if d.get("ladder"):
            lads.append((d["claim_id"], d["ladder"]))
    if not lads:
        return None
    cols = min(max_cols, len(lads))
    rows = math.ceil(len(lads) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.4 * rows), squeeze=False)
    for ax in axes.flat[len(lads):]:
        ax.set_visible(False)
    for ax, (cid, lad) in zip(axes.flat, lads):
        xs = list(range(len(lad["rungs"])))
        for x, r in zip(xs, lad["rungs"]):
            if r["margin"] is None:
                ax.plot([x], [0.0], marker="o", mfc="none", color="0.5", ms=6)
            else:
                ax.plot([x], [r["margin"]], marker="o", ms=6,
                        color={"reproduced": "C2", "not reproduced": "C3"}.get(r["verdict"], "0.5"))
        got = [(x, r["margin"]) for x, r in zip(xs, lad["rungs"]) if r["margin"] is not None]
        if len(got) > 1:
            ax.plot(*zip(*got), color="0.6", lw=0.8, zorder=0)
        ax.axhline(0.0, color="k", lw=0.6, ls="--")
        ax.set_xticks(xs)
        ax.set_xticklabels([f"{r['setting']}" + ("\n(paper)" if r["paper"] else "") for r in lad["rungs"]])
        ax.set_xlabel(lad["axis"])
        ax.set_ylabel("margin (> 0 holds)")
        ax.set_title(cid, fontsize=9)
    fig.tight_layout()
    return fig
