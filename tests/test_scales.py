"""Scale presets: lookups, errors that list the valid names, every preset module well formed."""

import pytest

from dlspectra.errors import UnknownNameError
from dlspectra.book.scales import FIGURE_IDS, SCALES, all_presets, preset


def test_unknown_scale_lists_valid_ones():
    with pytest.raises(UnknownNameError, match="valid scales: ci, paper"):
        preset("nope", "xie/fig01")


def test_unknown_figure_lists_valid_ones():
    with pytest.raises(UnknownNameError, match="xie/fig01"):
        preset("ci", "xie/nope")


def test_preset_is_a_fresh_copy():
    a = preset("ci", "xie/fig01")
    a["hessian"]["k"] = -1
    assert preset("ci", "xie/fig01")["hessian"]["k"] > 0
    assert a["scale"] == "ci" and a["figure_id"] == "xie/fig01"


def test_all_presets_have_both_scales_and_known_ids():
    presets = all_presets()
    assert "xie/fig01" in presets
    for fig, by_scale in presets.items():
        assert fig in FIGURE_IDS
        assert set(SCALES) <= set(by_scale)


def test_catalog_ids_complete():
    assert len([f for f in FIGURE_IDS if f.startswith("xie/")]) == 34
    # 17 figures and Table 1, plus two pages of our own: Theorem 8.1 and the decomposition identities
    assert len([f for f in FIGURE_IDS if f.startswith("papyan/")]) == 20
    assert {"papyan/thm81", "papyan/decomp"} <= set(FIGURE_IDS)
    assert len([f for f in FIGURE_IDS if f.startswith("bask/")]) == 14
