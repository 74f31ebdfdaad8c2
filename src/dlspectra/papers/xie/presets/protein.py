"""Scale presets of Xie et al.'s protein pages (Section 5, App. C-D; catalog-xie 0.7).

Two computations:

* ``structure``: PDB 4HHB (fig08, fig09, tab11). The same at both scales (574 residues, a
  1722 x 1722 eigenproblem: seconds on a CPU).
* ``set``: the large protein study (fig10, tab04, tab12, tab13). The paper used 9,166 PDB entries
  (list not published); offline we have the 747 chains of the data folder's ``pdb/pdownb`` archive
  that meet all its criteria (PISCES 30 % identity, X-ray <= 2.0 Å, 100-2000 residues). ``ci``: a
  seeded subset of 300 of them; ``paper``: all 747. The four pages share one preset dict, hence one
  set of cache entries: the spectra are computed once per build.

Common: C-alpha ANM, cutoff 9.0 Å, gamma 1; the fitted spectrum is that of the pseudo-inverse
(σ = 1/λ̃ over non-zero modes); K rules ``"tenth"`` (App. D.4) and 1000 (Table 11).
"""

ANM = {"cutoff": 9.0, "gamma": 1.0}
K_RULES = ["tenth", 1000]

STRUCTURE = {"anm": ANM, "k_rules": K_RULES, "pdb": "pdb/4hhb.pdb", "protein": "4HHB"}

# ci: jobs = 1 because spawning worker processes (each imports torch) saves little or nothing for
# 300 small chains on a shared 2-core machine (bench/bench_anm.py --sets, same run: 7.4 s in-process
# vs 6.7 s with 2 workers when quiet; 11 s vs 18-20 s when other jobs loaded the machine).
SET_CI = {"anm": ANM, "k_rules": K_RULES, "archive": "pdownb", "qualifying_only": True, "n_chains": 300,
          "seed": 0, "min_residues": 100, "max_residues": 2000, "chunk_size": 48, "jobs": 1}
SET_PAPER = {"anm": ANM, "k_rules": K_RULES, "archive": "pdownb", "qualifying_only": True, "n_chains": None,
             "seed": 0, "min_residues": 100, "max_residues": 2000, "chunk_size": 48, "jobs": None}

# Second reading of "protein molecule": whole PDB entries (all chains joined, as for 4HHB).
# ci: a seeded subset of 120 entries of at most 700 residues (3N <= 2100; the eigenproblem grows as
# (3N)^3); paper: all 730 entries with a qualifying chain (those above 2000 residues are counted as
# too large).
ENTRIES_CI = {"anm": ANM, "k_rules": K_RULES, "archive": "pdownb", "qualifying_only": True, "n_chains": 120,
              "subset_max_residues": 700, "seed": 0, "min_residues": 100, "max_residues": 2000, "chunk_size": 16,
              "jobs": 1}
ENTRIES_PAPER = {"anm": ANM, "k_rules": K_RULES, "archive": "pdownb", "qualifying_only": True, "n_chains": None,
                 "subset_max_residues": None, "seed": 0, "min_residues": 100, "max_residues": 2000,
                 "chunk_size": 8, "jobs": None}

_STRUCT_CI = {"structure": STRUCTURE, "threads": 2}
_STRUCT_PAPER = {"structure": STRUCTURE}
_SET_CI = {"set": SET_CI, "entries": ENTRIES_CI, "threads": 2}
_SET_PAPER = {"set": SET_PAPER, "entries": ENTRIES_PAPER}

PRESETS = {
    "xie/fig08": {"ci": dict(_STRUCT_CI), "paper": dict(_STRUCT_PAPER)},
    "xie/fig09": {"ci": dict(_STRUCT_CI), "paper": dict(_STRUCT_PAPER)},
    "xie/tab11": {"ci": dict(_STRUCT_CI), "paper": dict(_STRUCT_PAPER)},
    "xie/fig10": {"ci": dict(_SET_CI), "paper": dict(_SET_PAPER)},
    "xie/tab04": {"ci": dict(_SET_CI), "paper": dict(_SET_PAPER)},
    "xie/tab12": {"ci": dict(_SET_CI), "paper": dict(_SET_PAPER)},
    "xie/tab13": {"ci": dict(_SET_CI), "paper": dict(_SET_PAPER)},
}
