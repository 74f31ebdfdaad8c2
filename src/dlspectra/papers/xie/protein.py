"""Xie's protein pages (Section 5, App. C-D), by job; this module gathers the names the pages use.

* :mod:`.protein_study`: computation returning data (4HHB, the structure set, statistics with intervals).
* :mod:`.protein_tables`: Markdown (setup rows, the 4HHB table, the set's counts and per-bin table).
* :mod:`.protein_figures`: figures.
* :mod:`.protein_claims`: deciding the declared claims (rules in :mod:`.claims.protein`).
"""

from __future__ import annotations

from dlspectra.papers.xie import protein_study
from dlspectra.papers.xie.protein_claims import hemoglobin_claims, set_claims, set_ladder
from dlspectra.papers.xie.protein_figures import (distribution_figure, hemoglobin_figure, plot_inverse_spectrum,
                                                  ratio_figure, slope_by_size_figure)
from dlspectra.papers.xie.protein_study import (CORRUPT_NOTE, LADDER_FRACTIONS, MISSING_NOTE, PAPER_N, PAPER_SET,
                                                Hemoglobin, ProteinSet, bin_statistics, claim_value, data_note,
                                                hemoglobin, hemoglobin_values, ladder_values, nested_subsets,
                                                protein_set_study, set_chains, structure_spectra, textbook_rows)
from dlspectra.papers.xie.protein_tables import (BIN_LABELS, bin_table, counts_markdown, fit_markdown,
                                                 hemoglobin_summary, hemoglobin_table, set_setup_rows,
                                                 structure_setup_rows, textbook_line)

__all__ = [
    "hemoglobin_claims", "set_claims", "set_ladder", "distribution_figure", "hemoglobin_figure",
    "plot_inverse_spectrum", "ratio_figure", "slope_by_size_figure", "CORRUPT_NOTE", "LADDER_FRACTIONS",
    "MISSING_NOTE", "PAPER_N", "PAPER_SET", "Hemoglobin", "ProteinSet", "bin_statistics", "claim_value", "data_note",
    "hemoglobin", "hemoglobin_values", "ladder_values", "nested_subsets", "protein_set_study", "set_chains",
    "structure_spectra", "textbook_rows", "BIN_LABELS", "bin_table", "counts_markdown", "fit_markdown",
    "hemoglobin_summary", "hemoglobin_table", "set_setup_rows", "structure_setup_rows", "textbook_line",
]
