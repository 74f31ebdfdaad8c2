"""The claims of Xie et al.'s protein pages (Sec. 5, App. C-D), as data.

4HHB (fig08, fig09, tab11): one structure, the paper's own, at the paper's own K, so no setting to
climb (``no_ladder``). The structure set (fig10, tab04, tab12, tab13): every claim decided from an
interval (a mean's 95 % t interval, a bootstrap interval of a spread difference, a Clopper-Pearson
interval of a fraction), K = ⌊n/10⌋ (App. D.4); one that fails or is inconclusive climbs the set size
(nested seeded subsets of this scale's set, the paper's 9,166 as the top rung, not run: data).
"""

from __future__ import annotations

import math

from dlspectra.book.rules import ClaimSpec, Estimate, Rule

# ----------------------------------------------------------------------------- quotes (verbatim)
Q_FIG8 = ("The estimated power exponent  $\\hat{s}=0.992$  ( $\\hat{\\beta}=2.008\\pm0.032$ ) is very close to "
          "the estimated power exponent in deep learning.")
Q_FIG9 = ("The estimated power exponent (slope magnitude)  $\\hat{s} = 0.992$  ( $\\hat{\\beta} = 2.008 \\pm 0.032$ ), "
          "which is very close to the estimated power exponent in deep learning.")
Q_TAB11 = "4HHB 1000 0.0145 0.0430 Yes"
Q_CUTOFF = ("We choose the  $\\lambda_{\\text{cutoff}}$  as the top  $\\frac{1}{10}$  largest eigenvalue in each "
            "vibrational spectrum for corresponding proteins.")
Q_ZERO = "Their spectrums have no zero eigenvalues except for the six modes correspond to the translational"
Q_ALL = "All of the protein spectrums successfully passed the power-law KS tests with"
Q_MEANS = ("All of the protein spectrums successfully passed the power-law KS tests with  $mean(\\hat{s}) = 1.045~"
           "(mean(\\hat{\\beta}) = 1.975 \\pm 0.128)$ .")
Q_S1 = ("Surprisingly, we observed  $\\hat{s} \\approx 1$  for the protein in Figure 9 and in the spectrums of "
        "total 9166 kinds of protein molecules.")
Q_SPREAD = ("The approximation  $\\hat{s} \\approx 1$  also holds better for larger models (namely, proteins) in "
            "terms of the mean and the standard error, shown in Table 12.")
Q_TREND = "We also notice that  $\\hat{s} \\approx 1$  holds even better for larger proteins, which is supported by Table 13."
Q_RATIO = "$d_{ m ks}/d_{ m c}$ 0.304 0.292 0.317 0.300"

NO_LADDER_HB = "one structure, the paper's own (4HHB), at the paper's own K: no setting to climb"
BINS = ("300 ≤ 3N ≤ 1000", "1000 < 3N ≤ 3000", "3000 < 3N ≤ 6000")


def interval_between(statistic: str, lo: float, hi: float, *, quote: str, where: str, sentence: str = "") -> Rule:
    """Holds when the whole 95 % interval lies in [lo, hi]; fails when it lies outside; else inconclusive."""
    def test(v: Estimate):
        if math.isnan(v.lo) or math.isnan(v.hi):
            return None
        if lo <= v.lo and v.hi <= hi:
            return True
        if v.hi < lo or v.lo > hi:
            return False
        return None
    return Rule.custom(statistic, sentence or f"95 % interval of {statistic} inside [{lo:g}, {hi:g}]", test,
                       lambda v: min(v.value - lo, hi - v.value), quote=quote, where=where)


def all_pass(quote: str, where: str) -> Rule:
    """Every chain passes: the fraction with d_ks/d_c < 1 is 1 (one rejected chain fails the claim)."""
    return Rule.custom("fraction of chains with d_ks/d_c < 1", "every chain passes: fraction accepted = 1 "
                       "(its 95 % Clopper-Pearson interval shown)", lambda v: v.value == 1.0,
                       lambda v: v.value - 1.0 + 1e-9, quote=quote, where=where)


# ----------------------------------------------------------------------------- 4HHB

def _hb(cid: str, text: str, rule: Rule, paper) -> ClaimSpec:
    return ClaimSpec(cid, text, rule, paper=paper, no_ladder=NO_LADDER_HB)


def hb_s(quote: str, where: str, text: str) -> ClaimSpec:
    return _hb("s-0.992", text, Rule.between("ŝ (K = 1000)", 0.960, 1.024, quote=quote, where=where,
                                             sentence="|ŝ − 0.992| ≤ 0.032 (the paper's σ)"), 0.992)


ACCEPTED_K1000 = _hb("accepted-k1000", "4HHB: power law accepted (K = 1000)",
                     Rule.below("d_ks / d_c (K = 1000)", 1.0, quote=Q_TAB11, where="Table 11"), "Yes (0.0145 < 0.0430)")
ACCEPTED_TENTH = _hb("accepted-tenth", "4HHB: power law accepted with λ_cutoff = top 1/10 (App. D.4 rule)",
                     Rule.below("d_ks / d_c (K = ⌊n/10⌋)", 1.0, quote=Q_CUTOFF, where="App. D.4"), "accepted")
SIX_ZERO = _hb("six-zero-modes", "4HHB's network is connected and rigid: exactly six zero modes",
               Rule.between("zero modes", 5.5, 6.5, quote=Q_ZERO, where="App. D.4", sentence="zero modes = 6"), 6)
BETA = _hb("beta", "4HHB: β̂ = 2.008 ± 0.032 (K = 1000)",
           Rule.between("β̂ (K = 1000)", 1.976, 2.040, quote=Q_TAB11, where="Table 11",
                        sentence="|β̂ − 2.008| ≤ 0.032"), "2.008 ± 0.032")
D_KS = _hb("d_ks", "4HHB: d_ks = 0.0145 (K = 1000)",
           Rule.between("d_ks (K = 1000)", 0.0095, 0.0195, quote=Q_TAB11, where="Table 11",
                        sentence="|d_ks − 0.0145| ≤ 0.005"), 0.0145)
VERDICT = _hb("verdict", "4HHB: power law (d_ks < d_c = 0.0430)",
              Rule.below("d_ks / d_c (K = 1000)", 1.0, quote=Q_TAB11, where="Table 11"), "Yes")

# ----------------------------------------------------------------------------- the set


def _set(cid: str, text: str, rule: Rule, paper) -> ClaimSpec:
    return ClaimSpec(cid, text, rule, paper=paper, ladder="protein set size")


ALL_PASS = _set("all-pass", "every protein spectrum passes the power-law KS test (d_ks/d_c < 1, K = ⌊n/10⌋)",
                all_pass(Q_ALL, "App. D.4"), "all 9,166")
MEAN_RATIO = _set("mean-ratio", "mean d_ks/d_c ≈ 0.300 over all proteins (Table 13)",
                  interval_between("mean d_ks/d_c", 0.20, 0.40, quote=Q_RATIO, where="Table 13",
                                   sentence="95 % interval of mean d_ks/d_c inside [0.20, 0.40] (0.300 ± 0.10)"), 0.300)
MEAN_BETA = _set("mean-beta", "mean β̂ = 1.975 over all proteins",
                 interval_between("mean β̂", 1.925, 2.025, quote=Q_MEANS, where="App. D.4",
                                  sentence="95 % interval of mean β̂ inside [1.925, 2.025] (1.975 ± 0.05)"),
                 "1.975 ± 0.128")
MEAN_S = _set("mean-s", "mean ŝ = 1.045 over all proteins",
              interval_between("mean ŝ", 0.995, 1.095, quote=Q_MEANS, where="App. D.4",
                               sentence="95 % interval of mean ŝ inside [0.995, 1.095] (1.045 ± 0.05)"), "1.045 ± 0.155")
S_PAPER = ("1.050 ± 0.175", "1.041 ± 0.119", "1.002 ± 0.084")
S_BINS = [_set(f"s-bin{b + 1}", f"mean ŝ ≈ 1 for {BINS[b]}",
               interval_between(f"mean ŝ ({BINS[b]})", 0.85, 1.25, quote=Q_S1, where="Sec. 5",
                                sentence=f"95 % interval of mean ŝ ({BINS[b]}) inside [0.85, 1.25]"), S_PAPER[b])
          for b in range(3)]


def spread_spec(quote: str, where: str) -> ClaimSpec:
    return _set("spread-shrinks", "the spread of ŝ shrinks as proteins grow (0.175 → 0.119 → 0.084)",
                Rule.interval_below("largest increase of sd(ŝ) to the next larger bin", 0.0, quote=quote, where=where,
                                    sentence="95 % bootstrap interval of the largest increase of sd(ŝ) from a bin "
                                             "to the next below 0"), "0.175 → 0.119 → 0.084")


SIZE_TREND = _set("size-trend", "ŝ ≈ 1 holds better for larger proteins (mean closer to 1, smaller spread)",
                  Rule.interval_below("larger of the largest increases of |mean ŝ − 1| and sd(ŝ) to the next bin",
                                      0.0, quote=Q_TREND, where="App. D.4",
                                      sentence="95 % bootstrap interval of the larger of the largest increases of "
                                               "|mean ŝ − 1| and of sd(ŝ) from a bin to the next below 0"),
                  "|mean − 1|: 0.050 → 0.041 → 0.002; sd 0.175 → 0.119 → 0.084")

SET_IDS = ("all-pass", "mean-ratio", "mean-beta", "mean-s", "s-bin1", "s-bin2", "s-bin3", "spread-shrinks",
           "size-trend")

CLAIMS: dict[str, list[ClaimSpec]] = {
    "xie/fig08": [hb_s(Q_FIG8, "Fig. 8 caption", "4HHB inverse-ANM spectrum: ŝ = 0.992 (K = 1000, Table 11)"),
                  ACCEPTED_K1000, ACCEPTED_TENTH, SIX_ZERO],
    "xie/fig09": [hb_s(Q_FIG9, "Fig. 9 caption", "4HHB inverse-ANM spectrum: ŝ = 0.992 (Figure 9 caption)"),
                  ACCEPTED_K1000],
    "xie/tab11": [BETA, D_KS, VERDICT],
    "xie/fig10": [ALL_PASS, MEAN_RATIO],
    "xie/tab04": [*S_BINS, spread_spec(Q_SPREAD, "Sec. 5")],
    "xie/tab12": [*S_BINS, spread_spec(Q_SPREAD, "Sec. 5")],
    "xie/tab13": [ALL_PASS, MEAN_BETA, MEAN_S, MEAN_RATIO, SIZE_TREND],
}
