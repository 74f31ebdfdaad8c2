"""Scale presets of Xie et al.'s protein pages (Section 5, App. C-D; catalog-xie 0.7).

Two computations:

* ``structure``: PDB 4HHB (fig08, fig09, tab11). The same at both scales (574 residues, a
  1722 x 1722 eigenproblem: seconds on a CPU).
* ``set``: the large protein study (fig10, tab04, tab12, tab13). The paper used 9,166 PDB entries
  (list not published); offline we have 3,198 chains that meet all its criteria (PISCES 30 %
  identity, X-ray <= 2.0 Å, 100-2000 residues): pdownb's 747 and pisces_extra's 2,451. ``ci``: a
  seeded sample per 3N bin (all of the largest); ``paper``: all 3,198. The four pages share one
  preset dict, hence one set of cache entries: the spectra are computed once per build.

Common: C-alpha ANM, cutoff 9.0 Å, gamma 1; the fitted spectrum is that of the pseudo-inverse
(σ = 1/λ̃ over non-zero modes); K rules ``"tenth"`` (App. D.4) and 1000 (Table 11).
"""

ANM = {"cutoff": 9.0, "gamma": 1.0}
K_RULES = ["tenth", 1000]

STRUCTURE = {"anm": ANM, "k_rules": K_RULES, "pdb": "pdb/4hhb.pdb", "protein": "4HHB"}

# The structure set: the qualifying chains of pdownb (747) and pisces_extra (2,451), one set
# of 3,198 chains; by 3N: 2,720 in [300, 1000], 475 in (1000, 3000], 3 in (3000, 6000]. ``per_bin``:
# chains taken per bin (None: all), a seeded sample (seed + bin). paper: every chain on disk, plus
# those fetched from the PDB into pdb/pisces_fetched where a network allowed it (the fetcher's archive).
# ci: a seeded sample of each of the two smaller bins and all of the largest, sized so the four set
# pages together stay within about 280 s of a cold build on one thread (the dense eigenproblem grows
# as (3N)^3: the 475 chains of the middle bin alone take about 520 s on one thread, so ci samples it).
# jobs = 1 at ci: spawning workers (each imports torch) gains little on a shared 2-core machine.
SET_ARCHIVES = ["pdownb", "pisces_extra"]
SET_CI = {"anm": ANM, "k_rules": K_RULES, "archives": SET_ARCHIVES, "per_bin": [200, 120, None], "seed": 0,
          "min_residues": 100, "max_residues": 2000, "chunk_size": 48, "jobs": 1}
SET_PAPER = {"anm": ANM, "k_rules": K_RULES, "archives": SET_ARCHIVES, "per_bin": [None, None, None], "seed": 0,
             "fetched": True,
             "min_residues": 100, "max_residues": 2000, "chunk_size": 48, "jobs": None}

_STRUCT_CI = {"structure": STRUCTURE, "threads": 2}
_STRUCT_PAPER = {"structure": STRUCTURE}
_SET_CI = {"set": SET_CI, "threads": 2}
_SET_PAPER = {"set": SET_PAPER}

PRESETS = {
    "xie/fig08": {"ci": dict(_STRUCT_CI), "paper": dict(_STRUCT_PAPER)},
    "xie/fig09": {"ci": dict(_STRUCT_CI), "paper": dict(_STRUCT_PAPER)},
    "xie/tab11": {"ci": dict(_STRUCT_CI), "paper": dict(_STRUCT_PAPER)},
    "xie/fig10": {"ci": dict(_SET_CI), "paper": dict(_SET_PAPER)},
    "xie/tab04": {"ci": dict(_SET_CI), "paper": dict(_SET_PAPER)},
    "xie/tab12": {"ci": dict(_SET_CI), "paper": dict(_SET_PAPER)},
    "xie/tab13": {"ci": dict(_SET_CI), "paper": dict(_SET_PAPER)},
}
