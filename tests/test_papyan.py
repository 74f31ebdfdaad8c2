"""dlspectra.papers.papyan: reference numbers, presets, reading rules, and the runner's file names."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dlspectra.book.cli import NOTEBOOK_RE
from dlspectra.book.scales import FIGURE_IDS, preset
from dlspectra.papers.papyan.pipeline import gap_count, knockout_summary, log_shift
from dlspectra.papers.papyan.references import REFS, ref

PAPER = Path(__file__).resolve().parents[1] / ".." / "shared" / "papers" / "papyan_class_structure.txt"


def test_notebook_names_accept_thm_and_decomp():
    for name, fig in (("thm81_logistic_closed_form.py", "thm81"), ("decomp_identities.py", "decomp"),
                      ("fig05_g_knockouts.py", "fig05"), ("tab01_summary.py", "tab01"), ("figA10_x.py", "figA10")):
        m = NOTEBOOK_RE.match(name)
        assert m and m.group("fig") == fig, name
    for bad in ("decompx_a.py", "thm_a.py", "notes.py", "fig01.py"):
        assert NOTEBOOK_RE.match(bad) is None, bad


def test_every_papyan_id_has_presets():
    for fid in (f for f in FIGURE_IDS if f.startswith("papyan/")):
        for scale in ("ci", "paper"):
            assert preset(scale, fid)["figure_id"] == fid


@pytest.mark.skipif(not PAPER.exists(), reason=f"paper text not found at {PAPER}")
def test_reference_quotes_occur_in_the_paper():
    text = PAPER.read_text()
    missing = [k for k, r in REFS.items() if r.quote not in text]
    assert not missing, missing


def test_ref_lookup():
    assert ref("fig16_n_per_class").value == 1351
    with pytest.raises(KeyError, match="known"):
        ref("nope")


def test_gap_count_and_shifts():
    ev = np.concatenate([[100.0], np.full(9, 10.0) * np.linspace(1, 0.9, 9), np.linspace(0.1, 0.01, 50)])
    assert gap_count(ev, 20) == 10
    assert gap_count(ev, 1) == 1
    after = ev.copy()
    after[:10] = 1e-3
    s = knockout_summary(ev, np.sort(after)[::-1], 10, 40)
    assert s["top"] > 1 and s["rest"] >= 0
    assert np.allclose(log_shift(ev, ev, 20), 0)
