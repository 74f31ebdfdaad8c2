"""Benchmark: ANM spectra per second, ProDy's path vs our batched path, by chain size (one run).

ProDy path: ``ANM.buildHessian`` (Python loop over residues) + ``calcModes(n_modes=None, zeros=True)``
(dense ``scipy.linalg.eigh``), one chain at a time. Batched path: vectorised torch Hessians of a
whole size bin + ``torch.linalg.eigvalsh`` on size buckets (float64). Both on the same chains of the
``pdownb`` archive, both single-threaded by default (``--threads``), eigenvalues compared.

    python bench/bench_anm.py --quick          # < 3 minutes on 2 cores
    python bench/bench_anm.py --per-bin 40 --device cuda

Prints chains/s per bin for both paths and the speed-up (batched / ProDy). Never a timed test.
"""

from __future__ import annotations

import argparse
import os
import sys


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="few chains per bin (finishes in < 3 min on 2 cores)")
    ap.add_argument("--per-bin", type=int, default=None, help="chains per size bin (default 20, quick 5)")
    ap.add_argument("--threads", type=int, default=1, help="BLAS/torch threads for both paths (default 1)")
    ap.add_argument("--device", default="cpu", help="device of the batched path (cpu, cuda)")
    ap.add_argument("--sets", action="store_true", help="also time process_chains on 300 chains with jobs=1 and 2")
    a = ap.parse_args()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(a.threads)

    import time

    import numpy as np
    import torch

    from dlspectra import proteins

    torch.set_num_threads(a.threads)
    per_bin = a.per_bin or (5 if a.quick else 20)
    bins = [(100, 150), (150, 250), (250, 400), (400, 700)]
    chains = proteins.load_ca_archive("pdownb", qualifying_only=False)
    rng = np.random.default_rng(0)
    print(f"device {a.device}, threads {a.threads}, {per_bin} chains per bin (pdownb, chains without missing atoms)")
    print(f"{'residues':>10} {'chains':>6} {'ProDy ch/s':>11} {'batched ch/s':>13} {'speed-up':>9} {'max |Δλ|':>10}")
    proteins.batched_eigenvalues([chains[0].coords], device=a.device)  # warm-up (torch init, CUDA context)
    proteins.prody_eigenvalues(chains[0].coords)  # warm-up (ProDy import)
    totals = [0.0, 0.0, 0]
    for lo, hi in bins:
        pool = [c for c in chains if lo <= c.n_residues < hi and np.isfinite(c.coords).all()]
        pick = [pool[i] for i in rng.permutation(len(pool))[:per_bin]]
        if not pick:
            print(f"{lo:>4}-{hi:<5} {0:>6}  (no chains)")
            continue
        t0 = time.perf_counter()
        ref = [proteins.prody_eigenvalues(c.coords) for c in pick]
        t_prody = time.perf_counter() - t0
        t0 = time.perf_counter()
        ours = proteins.batched_eigenvalues([c.coords for c in pick], device=a.device, threads=a.threads)
        if a.device.startswith("cuda"):
            torch.cuda.synchronize()
        t_ours = time.perf_counter() - t0
        diff = max(float(np.abs(r - o).max()) for r, o in zip(ref, ours))
        totals[0] += t_prody
        totals[1] += t_ours
        totals[2] += len(pick)
        print(f"{lo:>4}-{hi:<5} {len(pick):>6} {len(pick) / t_prody:>11.2f} {len(pick) / t_ours:>13.2f} "
              f"{t_prody / t_ours:>8.1f}x {diff:>10.1e}")
    if totals[2]:
        print(f"{'all':>10} {totals[2]:>6} {totals[2] / totals[0]:>11.2f} {totals[2] / totals[1]:>13.2f} "
              f"{totals[0] / totals[1]:>8.1f}x")
    if a.sets:
        subset = proteins.load_ca_archive("pdownb", n=300, seed=0)
        for jobs in (1, 2):
            t0 = time.perf_counter()
            res = proteins.process_chains(subset, jobs=jobs, cache=False, progress=False, device=a.device)
            dt = time.perf_counter() - t0
            print(f"process_chains, 300 qualifying chains, jobs={jobs}: {dt:.1f} s ({300 / dt:.1f} chains/s), "
                  f"status counts {res.counts()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
