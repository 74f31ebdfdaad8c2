"""Deciding the declared protein claims (rules in :mod:`dlspectra.papers.xie.claims.protein`).

:func:`hemoglobin_claims` decides the 4HHB claims of a page, :func:`set_claims` the set claims; both
record every declared claim as not run (data missing) when the study is None. A set claim that
fails or is inconclusive carries its ladder over the set size (:func:`set_ladder`).
"""

from __future__ import annotations

from typing import Any

from dlspectra.papers.xie.protein_study import PAPER_N, Hemoglobin, ProteinSet, claim_measured, claim_value, \
    hemoglobin_values, ladder_values

PAPER_RUNG_NOTE = ("not run: data — the paper's 9,166 structures are not listed and need the PDB; "
                   "3,198 qualifying chains are on disk")


def hemoglobin_claims(claims: Any, h: Hemoglobin | None) -> None:
    """Decide every declared 4HHB claim of the page from ``h`` (all not run when ``h`` is None)."""
    if h is None:
        claims.not_run_rest("data missing")
        return
    vals = hemoglobin_values(h)
    for cid in list(claims.specs):
        value, measured = vals[cid]
        claims.decide(cid, float(value), measured=measured)


def set_ladder(claims: Any, study: ProteinSet, cid: str):
    """The set-size ladder of claim ``cid``: nested subsets of this scale's set, the paper's 9,166 on top."""
    from dlspectra.book.ladder import climb

    sizes, vals = ladder_values(study, cid)
    return climb(claims.spec(cid).rule, "protein set size", sizes, vals, paper_setting=PAPER_N,
                 paper_note=PAPER_RUNG_NOTE, unit="chains")


def set_claims(claims: Any, study: ProteinSet | None) -> None:
    """Decide every declared set claim of the page from ``study`` (K = ⌊n/10⌋); not run when None."""
    if study is None:
        claims.not_run_rest("data missing")
        return
    rows = study.rows
    excluded = study.n_chains - len(rows)
    for cid, spec in claims.specs.items():
        value = claim_value(rows, cid)
        holds = spec.rule.holds(value)
        ladder = None if holds is True else set_ladder(claims, study, cid)
        note = f"{len(rows)} chains tested; {excluded} screened out before the test (see the counts table)"
        claims.decide(cid, value, measured=claim_measured(rows, cid), ladder=ladder, note=note)
