"""Every page of the three papers decides its claims as data (issue 18, "Claims as data").

Statically, over the notebooks and the paper packages:

* each page of xie, papyan and bask declares its claims (``page.declare(CLAIMS)``) and has an
  entry in its paper's registry (``dlspectra.papers.<paper>.claims.CLAIMS``);
* no page records a claim through the legacy ``claims.check(...)`` (a verdict without a rule
  object) or attaches a ``scale_trend`` (a K re-read posing as a ladder), and no paper module
  calls ``claims.check(...)`` or builds a ``scale_trend`` (the Xie K-trend helpers that did are
  removed: a claim's evidence beyond its verdict is a ladder over a setting, or a K re-read labelled so).

At run time :meth:`dlspectra.book.results.ClaimRecorder.save` refuses a declared claim left
undecided and a failing or inconclusive claim with neither a ladder nor a stated ``no_ladder``
reason, so every page run by the build (CI runs them all) is held to that too.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAPERS = ("xie", "papyan", "bask")
LEGACY = re.compile(r"\bclaims\.check\(|\bscale_trend\b|\brec\.check\(")


def pages():
    for paper in PAPERS:
        for nb in sorted((ROOT / "notebooks" / paper).glob("*.py")):
            yield pytest.param(paper, nb, id=f"{paper}/{nb.stem.split('_')[0]}")


@pytest.mark.parametrize("paper,nb", list(pages()))
def test_page_declares_its_claims(paper, nb):
    src = nb.read_text(encoding="utf-8")
    page_id = f"{paper}/{nb.stem.split('_')[0]}"
    assert ".declare(" in src, f"{page_id}: the page does not declare its claims (page.declare(CLAIMS))"
    assert not LEGACY.search(src), f"{page_id}: a legacy claims.check/scale_trend call is left in the page"
    registry = importlib.import_module(f"dlspectra.papers.{paper}.claims").CLAIMS
    assert page_id in registry, f"{page_id}: no entry in dlspectra.papers.{paper}.claims.CLAIMS"


LEGACY_CHECK = re.compile(r"\b(claims|rec|recorder)\.check\(")


@pytest.mark.parametrize("paper", PAPERS)
def test_no_paper_module_uses_the_legacy_check(paper):
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "src" / "dlspectra" / "papers" / paper).rglob("*.py")
                 if LEGACY_CHECK.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"legacy claims.check in {offenders}"


@pytest.mark.parametrize("paper", PAPERS)
def test_no_paper_module_builds_a_k_trend(paper):
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "src" / "dlspectra" / "papers" / paper).rglob("*.py")
                 if re.search(r"\bscale_trend\b", p.read_text(encoding="utf-8"))]
    assert not offenders, f"a scale_trend (a K re-read posing as a ladder) is built in {offenders}"
