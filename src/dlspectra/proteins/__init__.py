"""Anisotropic network model (ANM) spectra of protein structures, one structure or thousands.

The package, by job:

* :mod:`.structures`: :class:`Chain` (C-alpha coordinates in Å), local PDB files (:func:`load_pdb`,
  :func:`load_4hhb`), the data folder's C-alpha archives (:func:`load_ca_archive`,
  :func:`load_ca_entries`, :func:`load_ca_files`) and the offline structure set, pdownb's and
  pisces_extra's qualifying chains as one list (:func:`load_structure_set`).
* :mod:`.anm`: the ANM Hessian (:func:`anm_hessian`) and its two eigen paths, ProDy's reference
  (:func:`prody_eigenvalues`) and ours (:func:`batched_eigenvalues`: NumPy's LAPACK per chain on the CPU, padded
  batches through torch on CUDA);
  :class:`ProteinSpectrum` with the inverse spectrum and Xie's power-law fit.
* :mod:`.sets`: structure sets: screening, parallel resumable processing with every chain accounted
  for (:func:`process_chains`, :class:`SetResult`), summaries by size (:func:`summarize_by_size`),
  seeded samples per size bin (:func:`sample_by_bin`), counts per archive and bin (:func:`screen_counts`).
* :mod:`.fetch`: a PISCES list -> a C-alpha archive from the PDB (needs a network).

``python -m dlspectra.proteins spectrum FILE.pdb`` / ``fetch LIST OUT`` on the command line.
"""

from .anm import (CUTOFF, GAMMA, RIGID_BODY_MODES, ZERO_TOL, ProteinSpectrum, anm_hessian, batched_eigenvalues,
                  contact_components, contact_matrix, count_zero_modes, inverse_spectrum, k_for_rule, min_contacts,
                  prody_eigenvalues, protein_spectrum, rule_label)
from .fetch import FETCH_STATUSES, FetchError, FetchResult, fetch_pisces_chains, pdb_base_url, read_pisces_list
from .sets import (SET_VERSION, SIZE_BINS, STATUSES, SetResult, process_chains, sample_by_bin, screen_counts, size_bin,
                   summarize_by_size)
from .structures import SET_ARCHIVES, Chain, load_4hhb, load_structure_set, load_ca_archive, load_ca_entries, load_ca_files, load_pdb, read_index

__all__ = [
    "CUTOFF", "GAMMA", "RIGID_BODY_MODES", "ZERO_TOL", "ProteinSpectrum", "anm_hessian", "batched_eigenvalues",
    "contact_components", "contact_matrix", "count_zero_modes", "inverse_spectrum", "k_for_rule", "min_contacts",
    "prody_eigenvalues", "protein_spectrum", "rule_label", "FETCH_STATUSES", "FetchError", "FetchResult", "fetch_pisces_chains", "pdb_base_url",
    "read_pisces_list",
    "SET_VERSION", "SIZE_BINS", "STATUSES", "SetResult", "process_chains", "sample_by_bin", "screen_counts", "size_bin",
    "summarize_by_size",
    "SET_ARCHIVES", "Chain", "load_4hhb", "load_structure_set", "load_ca_archive", "load_ca_entries", "load_ca_files", "load_pdb", "read_index",
]
