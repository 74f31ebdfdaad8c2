"""The paper's reference values (dlspectra.papers.xie.reference) against the paper's own text."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from dlspectra.papers.xie.reference import KsRow, Ref, all_refs, page_ids, reference, values
from dlspectra.papers.xie.reference.ks_tables import TABLE6, table6_row

PAPER = Path(__file__).resolve().parents[1] / ".." / "shared" / "papers" / "xie_powerlaw_hessian.txt"
WINDOW = 6000
"""Characters either side of a 'Table N:' / 'Figure N:' caption in which a value said to be there must occur."""


@pytest.fixture(scope="module")
def text() -> str:
    if not PAPER.exists():
        pytest.skip(f"the paper's text is not in this checkout's neighbourhood ({PAPER.name} under ../shared/papers)")
    return PAPER.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def occurrences(text: str, number: str) -> list[int]:
    """Positions of ``number`` printed as such: not inside a longer number (no digit or '.digit' around it)."""
    pat = re.compile(r"(?<![\d.])" + re.escape(number) + r"(?!\d|\.\d)")
    return [m.start() for m in pat.finditer(text)]


def anchors(text: str, where: str) -> list[int] | None:
    """Caption positions of the table/figure ``where`` names (None: a section, checked anywhere)."""
    m = re.match(r"(Table|Fig\.|Figure)\s*(\d+)", where)
    if not m:
        return None
    kind = "Table" if m.group(1) == "Table" else "Figure"
    return [c.start() for c in re.finditer(rf"(?m)^{kind} {m.group(2)}:", text)]


def found(text: str, r: Ref) -> bool:
    """Whether ``r`` is printed in the paper near the place it names."""
    pos = occurrences(text, r.text)
    near = anchors(text, r.where)
    if near is None:
        return bool(pos)
    return any(abs(p - a) <= WINDOW for p in pos for a in near)


def test_every_reference_value_is_in_the_paper(text):
    refs = list(all_refs())
    assert len(refs) > 150  # Table 6 alone has 34 rows
    missing = [f"{path} = {r.text} ({r.where})" for path, r in refs if not found(text, r)]
    assert not missing, "reference values not found in the paper's text:\n" + "\n".join(missing)


@pytest.mark.parametrize("typo", [Ref("0.00910", "Table 6"), Ref("1.991", "Table 11"), Ref("0.0431", "Table 5"),
                                  Ref("9161", "Section 5")])
def test_a_mistyped_or_misplaced_value_fails(text, typo):
    # 0.00910: a digit wrong; 1.991 is Table 6's, not Table 11's; 0.0431 is not printed anywhere; nor is 9161
    assert not found(text, typo)


def test_boundaries_do_not_match_inside_longer_numbers():
    assert occurrences("d 0.04301 and 10.0430 and 0.0430.", "0.0430") == [26]


def test_table6_has_its_34_rows_once_and_keys_resolve():
    assert len(TABLE6) == 34
    assert sum(r.power_law for r in TABLE6) == 21
    assert all(r.d_c.text == "0.0430" and r.k == 1000 for r in TABLE6)
    assert all((r.beta is None) == (not r.power_law) for r in TABLE6)
    assert table6_row(("gap", "mnist")).s.value == pytest.approx(1.817)
    assert reference("xie/fig02")["gap"] is table6_row(("gap", "mnist"))  # the same object, not a copy
    with pytest.raises(KeyError, match="Table 6 has no row"):
        table6_row(("batch", 7))


def test_reference_api():
    assert "xie/tab06" in page_ids()
    assert reference("xie/tab06")["rows"] is TABLE6
    with pytest.raises(KeyError, match="known"):
        reference("xie/nope")
    v = values(reference("xie/tab11"))
    assert v["4hhb"]["beta"] == pytest.approx(2.008) and v["4hhb"]["accepted"] is True
    assert isinstance(reference("xie/fig08")["4hhb"], KsRow)
    with pytest.raises(ValueError, match="number"):
        Ref("n/a", "Table 6")
    with pytest.raises(ValueError, match="location"):
        Ref("1.0", "")
