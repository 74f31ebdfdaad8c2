# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Xie et al., Table 9 — KS statistics of ResNet18 on CIFAR-10/100 (K = 50)
#
# ## What the paper shows
#
# Table 9 reports the Kolmogorov-Smirnov test of the top-50 Hessian eigenvalues of ResNet18:
# on CIFAR-10 the random network fails ($d_{ks}$ = 0.334), all 11 optimizers pass ($d_{ks}$ 0.048-0.168,
# $\hat s$ 0.838-1.259), batch sizes B ≤ 1152 pass and B ≥ 1280 fail ($d_{ks}$ 0.331-0.343); on CIFAR-100
# the random network fails (0.373) and SGD passes (0.108, $\hat s$ = 0.770). Critical value printed as
# 0.176 (Table 5: 1.36/√50 = 0.192).
#
# ## Setup
#
# Filled from the preset. **Data:** offline CIFAR-10 is a 4,000-train / 1,000-test subset (the
# data layer falls back to it) and CIFAR-100 is not available: its rows are recorded as *not run:
# data missing*. **Model and sizes:** as `xie/fig14` and `xie/fig19`, whose cached runs this table
# reads (at `ci`: base width 4, 2 epochs, Hessian over 32 images, SGD only and three batch sizes).

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
from dlspectra.data import available
from dlspectra.book.page import Markdown, start
from dlspectra.book.results import markdown_table
from dlspectra.papers.xie.pipeline import converged
from dlspectra.papers.xie.reference.cifar_tables import TABLE9, TABLE9_D_C, floats
from dlspectra.papers.xie.tables import claim_trend, comparison_table, convergence_note, fit_table
from dlspectra.papers.xie.cifar import paper_batch, resnet_run, resnet_setup_rows

page = start("xie/tab09", scale, device, title="KS statistics of ResNet18 (K = 50)")
p = page.preset
train_n = p["resnet"]["cifar10"]["train_n"]
page.setup(resnet_setup_rows(p))

# %% [markdown]
# ## Computation
#
# The runs of `xie/fig14` (random, each optimizer of the preset) and `xie/fig19` (each batch size),
# loaded from the cache or computed; CIFAR-100 runs when the data are present.

# %%
PAPER = floats(TABLE9)  # Table 9: (d_ks, beta, sigma, s); d_c printed as 0.176


def paper_dict(key):
    d, b, s, sh = PAPER[key]
    return {"d_ks": d, "d_c": TABLE9_D_C.value, "beta": b, "sigma": s, "s": sh}


rows = []   # (label, paper key, run or None)
missing = [ds for ds in p["datasets"] if not available(ds)]
for ds in p["datasets"]:
    if ds in missing:
        continue
    rows.append((f"{ds}, random", (ds, "random"), resnet_run(p, ds, random=True, device=page.device,
                                                             label=f"{ds}, random")))
    opts = p["resnet_optimizers"] if ds == "cifar10" else ["sgd"]
    for opt in opts:
        rows.append((f"{ds}, {opt}", (ds, opt), resnet_run(p, ds, optimizer=opt, device=page.device,
                                                           label=f"{ds}, {opt}")))
    if ds == "cifar10":
        for b in p["batch_sizes"]:
            if b == 128:
                continue  # the default run above
            eq = paper_batch(b, train_n, p["paper_n"])
            key = ("cifar10", f"B={eq}") if ("cifar10", f"B={eq}") in PAPER else None
            rows.append((f"cifar10, SGD, B = {b} (≙ {eq})", key,
                         resnet_run(p, ds, batch_size=b, device=page.device, label=f"cifar10, SGD, B = {b} (≙ {eq})")))
print("data sets not available offline:", missing or "none")

# %% [markdown]
# ## Numbers
#
# The whole of Table 9 as printed (paper), then our rows beside the paper's where a row exists
# (a `ci` batch size stands for a paper size that is not in the table: paper columns empty).

# %%
Markdown("**Paper (Table 9)**\n\n" + markdown_table(
    ["data set", "run", "d_ks", "d_c", "power law", "β̂ ± σ", "ŝ"],
    [[ds, name, f"{v[0]:g}", f"{TABLE9_D_C.value:g}", "Yes" if v[0] < TABLE9_D_C.value else "No",
      f"{v[1]:.3f} ± {v[2]:g}" if v[1] else "", f"{v[3]:.3f}" if v[3] else ""] for (ds, name), v in PAPER.items()]))

# %%
comparison_table([(label, paper_dict(key) if key else None, r.fit) for label, key, r in rows]
                 + [(f"{ds}, {name}", paper_dict((ds, name)), None) for ds in missing for name in ("random", "sgd")])

# %%
fit_table([r for _, _, r in rows])

# %%
print(convergence_note([r for _, _, r in rows]))

# %% [markdown]
# ## Verdict
#
# Claims (catalog `xie-tab09`), per row: trained networks at the default batch pass, the random
# network fails; batch-size rows follow the paper's transition read through B/N; plus the
# ordering random vs trained. Rows not computed at this scale (the other 10 optimizers at `ci`)
# and CIFAR-100 (data missing) are recorded as not run.

# %% tags=["hide-input"]
claims = page.claims
by_key = {key: r for _, key, r in rows if key}
for ds in p["datasets"]:
    if ds in missing:
        claims.not_run(f"{ds}-random-rejected", f"{ds}: random ResNet18 fails the KS test", rule="d_ks > d_c",
                       reason="data missing", paper=PAPER[(ds, "random")][0])
        claims.not_run(f"{ds}-sgd-accepted", f"{ds}: SGD ResNet18 passes the KS test", rule="d_ks < d_c",
                       reason="data missing", paper=PAPER[(ds, "sgd")][0])
        continue
    rnd = by_key[(ds, "random")]
    claims.check(f"{ds}-random-rejected", f"{ds}: random ResNet18 fails the KS test", rule="d_ks > d_c",
                 holds=not rnd.fit.accepted, paper=PAPER[(ds, "random")][0], converged=converged(rnd),
                 trend=claim_trend(rnd, paper_accepts=False, holds=not rnd.fit.accepted),
                 measured={"d_ks": rnd.fit.d_ks, "d_c": rnd.fit.d_c})
    opts = p["resnet_optimizers"] if ds == "cifar10" else ["sgd"]
    for opt in opts:
        r = by_key[(ds, opt)]
        claims.check(f"{ds}-{opt}-accepted", f"{ds}: {opt} ResNet18 passes the KS test", rule="d_ks < d_c",
                     holds=r.fit.accepted, paper=PAPER[(ds, opt)][0], converged=converged(r),
                     trend=claim_trend(r, paper_accepts=True, holds=r.fit.accepted), measured={"d_ks": r.fit.d_ks, "d_c": r.fit.d_c})
    claims.check(f"{ds}-ordering", f"{ds}: random further from a power law than SGD", rule="d_ks(random) > d_ks(SGD)",
                 holds=rnd.fit.d_ks > by_key[(ds, "sgd")].fit.d_ks, converged=converged(rnd, by_key[(ds, "sgd")]),
                 measured={"random": rnd.fit.d_ks, "sgd": by_key[(ds, "sgd")].fit.d_ks})
    if ds == "cifar10":
        paper_opts = [k[1] for k in PAPER if k[0] == "cifar10" and k[1] != "random" and not k[1].startswith("B=")]
        for opt in [o for o in paper_opts if o not in opts]:
            claims.not_run(f"cifar10-{opt}-accepted", f"cifar10: {opt} ResNet18 passes the KS test", rule="d_ks < d_c",
                           reason="scale", paper=PAPER[("cifar10", opt)][0], note="not trained at this scale")
        bs = [(label, r) for label, key, r in rows if label.startswith("cifar10, SGD, B")]
        for b in p["batch_sizes"]:
            eq = paper_batch(b, train_n, p["paper_n"])
            r = by_key[("cifar10", "sgd")] if b == 128 else next(r for label, r in bs if label.startswith(f"cifar10, SGD, B = {b} "))
            if eq <= 1152:
                claims.check(f"cifar10-B{b}-accepted", f"cifar10: SGD with B = {b} (≙ {eq} ≤ 1152) passes",
                             rule="d_ks < d_c", holds=r.fit.accepted, paper="Yes for B ≤ 1152", converged=converged(r),
                             trend=claim_trend(r, paper_accepts=True, holds=r.fit.accepted),
                             measured={"d_ks": r.fit.d_ks, "d_c": r.fit.d_c})
            elif eq >= 1280:
                claims.check(f"cifar10-B{b}-rejected", f"cifar10: SGD with B = {b} (≙ {eq} ≥ 1280) fails",
                             rule="d_ks > d_c", holds=not r.fit.accepted, paper="No for B ≥ 1280 (d_ks 0.331-0.343)",
                             converged=converged(r), trend=claim_trend(r, paper_accepts=False, holds=not r.fit.accepted),
                             measured={"d_ks": r.fit.d_ks, "d_c": r.fit.d_c})
page.finish()

# %% [markdown]
# ## Notes
#
# * **Convergence at `ci`.** ≤ 400 Lanczos steps, stopping once the top 50 converge (with 80, only
#   the top ~20 Ritz values converged and the unconverged tail dominated $d_{ks}$; see `xie/fig14`);
#   a claim on a spectrum that still did not converge is recorded as inconclusive.
# * **KS rule** $d_{ks} < d_c$ ⇒ power law accepted; $d_c$ = 1.36/√50 = 0.192 here, 0.176 as printed (no
#   paper verdict changes). RAdam's printed $d_{ks}$ = 0.168 is within 5 % of 0.176.
# * **Typos in Table 9** (catalog §0.8): Adam β̂ 2.062 vs its ŝ 0.950 (which implies 2.053); B = 512
#   β̂ 2.146 copied from the SGD row (σ and ŝ imply 2.068); RAdam σ printed with 4 decimals.
# * **Batch sizes** are read through B/N (see `xie/fig19`). At `ci` B = 128 on 4,000 images stands for
#   B = 1,600 at 50,000, i.e. the *failing* side of the paper's transition, yet it is also the paper's
#   default batch size; both of its claims are recorded.
# * **ci changes:** see `xie/fig14` (width 4, 4,000-image subset, 2 epochs, 32-image Hessian, SGD only).
