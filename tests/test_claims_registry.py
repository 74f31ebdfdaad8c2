"""Every declared claim against its paper: the quote its rule encodes occurs in the paper's text.

Each paper exposes ``dlspectra.papers.<paper>.claims.CLAIMS = {"<paper>/<id>": [ClaimSpec, ...]}``.
A quote is compared with the paper's text after collapsing runs of whitespace (the text files
break lines inside sentences); a quote that is not verbatim fails, naming the page and the claim.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from pathlib import Path

import pytest

from dlspectra.book.rules import ClaimSpec

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "papers"
TEXTS = {"xie": "xie_powerlaw_hessian.txt", "papyan": "papyan_class_structure.txt", "bask": "baskerville_rmt.txt"}
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


@lru_cache(maxsize=None)
def paper_text(paper: str) -> str:
    path = SHARED / TEXTS[paper]
    if not path.exists():
        pytest.skip(f"the paper's text is not beside this checkout ({path})")
    return squash(path.read_text(encoding="utf-8"))


def registry(paper: str) -> dict[str, list[ClaimSpec]]:
    try:
        mod = importlib.import_module(f"dlspectra.papers.{paper}.claims")
    except ModuleNotFoundError:
        return {}
    return getattr(mod, "CLAIMS", {})


def all_specs():
    for paper in TEXTS:
        for page, specs in sorted(registry(paper).items()):
            for spec in specs:
                yield pytest.param(paper, page, spec, id=f"{page}:{spec.claim_id}")


@pytest.mark.parametrize("paper,page,spec", list(all_specs()))
def test_quote_is_the_papers_words(paper, page, spec):
    assert page.startswith(paper + "/"), f"{page} is registered under {paper}"
    assert any((NOTEBOOKS / paper).glob(f"{page.split('/')[1]}_*.py")), f"{page}: no notebook"
    quote = squash(spec.rule.quote)
    assert quote in paper_text(paper), (f"{page}, claim {spec.claim_id!r}: the rule's quote is not verbatim in "
                                        f"{TEXTS[paper]}: {quote!r}")


@pytest.mark.parametrize("paper", list(TEXTS))
def test_claim_ids_are_unique_per_page(paper):
    for page, specs in registry(paper).items():
        ids = [s.claim_id for s in specs]
        assert len(ids) == len(set(ids)), f"{page}: duplicate claim ids {sorted(i for i in ids if ids.count(i) > 1)}"
        assert all(isinstance(s, ClaimSpec) for s in specs)
