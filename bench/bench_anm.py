"""Benchmark: ANM spectra, ProDy's path vs our batched path, per size bin of the offline structure set.

ProDy path: ``ANM.buildHessian`` (Python loop over residues) + ``calcModes(n_modes=None, zeros=True)``
(dense ``scipy.linalg.eigh``), one chain at a time. Our path (:func:`dlspectra.proteins.batched_eigenvalues`'
default for the device): on the CPU each chain's contact-list Hessian and NumPy's LAPACK, eigenvalues
only; on a GPU padded size buckets through ``torch.linalg.eigvalsh`` (float64). Both on the same chains of the joined set
(pdownb's 747 and pisces_extra's 2,451 qualifying chains, :func:`dlspectra.proteins.load_structure_set`),
both single-threaded by default (``--threads``), eigenvalues compared. The Hessian build and the
eigen-solve are timed apart for both paths; ``--memory`` adds the peak resident memory of one
spectrum of the largest chain (each path in a fresh process).

    python bench/bench_anm.py --quick          # a few minutes on 2 cores
    python bench/bench_anm.py --per-bin 40 --device cuda --memory

Prints, per residue bin: chains, ProDy build / solve / chains/s, batched build / solve / chains/s,
the speed-up (batched / ProDy, whole spectrum) and the largest eigenvalue difference. Never a timed test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

BINS = [(100, 150), (150, 250), (250, 333), (334, 700), (700, 1000), (1001, 2000)]
"""Residue bins: the paper's first 3N bin [300, 1000] split in three, the second in two, the third."""


def _memory(path: str, coords_file: str, name: str, threads: int) -> str:
    """Peak resident memory of one spectrum of the chain in ``coords_file`` by ``path``, in a fresh
    process: the high-water mark (Linux ``VmHWM``) is reset after the imports and a warm-up
    (``/proc/self/clear_refs``), so the peak is the solve's own, above the process's resident size."""
    code = (
        "import numpy as np\n"
        "from dlspectra import proteins\n"
        f"x = np.load({coords_file!r})\n"
        "proteins.batched_eigenvalues([x[:8]]); proteins.prody_eigenvalues(x[:8])  # imports, warm-up\n"
        "def status(key):\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith(key):\n"
        "            return int(line.split()[1]) // 1024\n"
        "open('/proc/self/clear_refs', 'w').write('5')  # reset the high-water mark to the current size\n"
        "base = status('VmRSS')\n"
        f"(proteins.prody_eigenvalues(x) if {path!r} == 'prody' else proteins.batched_eigenvalues([x], threads={threads}))\n"
        "peak = status('VmHWM')\n"
        "print(len(x), peak, peak - base)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    n = int(out[0])
    dense = (3 * n) ** 2 * 8 / 2 ** 20
    return (f"{path}: {name} ({n} residues, one {3 * n} x {3 * n} float64 matrix = {dense:.0f} MiB) peak RSS "
            f"{out[1]} MiB, {out[2]} MiB above the process before the solve")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="few chains per bin")
    ap.add_argument("--per-bin", type=int, default=None, help="chains per size bin (default 20, quick 6)")
    ap.add_argument("--threads", type=int, default=1, help="BLAS/torch threads for both paths (default 1)")
    ap.add_argument("--device", default="cpu", help="device of the batched path (cpu, cuda)")
    ap.add_argument("--memory", action="store_true", help="peak memory of the largest chain, per path")
    a = ap.parse_args()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(a.threads)

    import time

    import numpy as np
    import prody
    import torch

    from dlspectra import proteins
    from dlspectra.proteins.anm import _hessians_torch

    prody.confProDy(verbosity="none")
    torch.set_num_threads(a.threads)
    per_bin = a.per_bin or (6 if a.quick else 20)
    chains = proteins.load_structure_set()
    rng = np.random.default_rng(0)
    print(f"device {a.device}, threads {a.threads}, up to {per_bin} chains per bin of the joined set "
          f"({len(chains)} chains)")
    print(f"{'residues':>10} {'chains':>6} | {'ProDy build':>11} {'solve':>7} {'ch/s':>7} | {'ours build':>10} "
          f"{'solve':>7} {'ch/s':>7} | {'speed-up':>8} {'max |Δλ|':>9}")
    proteins.batched_eigenvalues([chains[0].coords], device=a.device)  # warm-up
    proteins.prody_eigenvalues(chains[0].coords)
    tot = np.zeros(2)
    n_tot = 0
    whole = np.zeros(2)  # the whole set: each bin's mean seconds per chain times the bin's chains in the set
    for lo, hi in BINS:
        pool = [c for c in chains if lo <= c.n_residues <= hi]
        pick = [pool[i] for i in rng.permutation(len(pool))[:per_bin]]
        if not pick:
            continue
        # ProDy: build and solve apart
        tb = ts = 0.0
        ref = []
        for c in pick:
            anm = prody.ANM("anm")
            t0 = time.perf_counter()
            anm.buildHessian(c.coords, cutoff=proteins.CUTOFF, gamma=proteins.GAMMA)
            t1 = time.perf_counter()
            anm.calcModes(n_modes=None, zeros=True)
            ts += time.perf_counter() - t1
            tb += t1 - t0
            ref.append(np.sort(anm.getEigvals()))
        # ours: the default path of the device, build and solve timed apart
        if a.device.startswith("cuda"):  # padded buckets through torch: the whole path, then the build alone
            t0 = time.perf_counter()
            ours = proteins.batched_eigenvalues([c.coords for c in pick], device=a.device, threads=a.threads)
            torch.cuda.synchronize()
            t_all = time.perf_counter() - t0
            sizes = np.array([c.n_residues for c in pick])
            padded = (sizes + 31) // 32 * 32
            t0 = time.perf_counter()
            for size in np.unique(padded):
                grp = [c for c, p in zip(pick, padded) if p == size]
                x = np.zeros((len(grp), size, 3))
                m = np.zeros((len(grp), size), dtype=bool)
                for g, c in enumerate(grp):
                    x[g, :c.n_residues], m[g, :c.n_residues] = c.coords, True
                _hessians_torch(torch.from_numpy(x).to(a.device), torch.from_numpy(m).to(a.device),
                                proteins.CUTOFF, proteins.GAMMA)
            torch.cuda.synchronize()
            ob = time.perf_counter() - t0
            osv = max(t_all - ob, 0.0)
        else:  # the CPU path: each chain's contact-list Hessian, then NumPy's LAPACK (eigenvalues only)
            t0 = time.perf_counter()
            hs = [proteins.anm_hessian(c.coords, proteins.CUTOFF, proteins.GAMMA) for c in pick]
            ob = time.perf_counter() - t0
            t0 = time.perf_counter()
            ours = [np.linalg.eigvalsh(h) for h in hs]
            osv = time.perf_counter() - t0
            t_all = ob + osv
            del hs
        diff = max(float(np.abs(r - o).max()) for r, o in zip(ref, ours))
        n = len(pick)
        tot += [tb + ts, t_all]
        n_tot += n
        whole += np.array([tb + ts, t_all]) / n * len(pool)
        print(f"{lo:>4}-{hi:<5} {n:>6} | {tb:>10.2f}s {ts:>6.2f}s {n / (tb + ts):>7.2f} | {ob:>9.2f}s {osv:>6.2f}s "
              f"{n / t_all:>7.2f} | {(tb + ts) / t_all:>7.2f}x {diff:>9.1e}")
    print(f"{'all':>10} {n_tot:>6} | {'':>19} {n_tot / tot[0]:>7.2f} | {'':>17} {n_tot / tot[1]:>7.2f} | "
          f"{tot[0] / tot[1]:>7.2f}x  (equal chains per bin; the set itself is 85 % of 3N ≤ 1000)")
    n_set = sum(1 for c in chains if BINS[0][0] <= c.n_residues <= BINS[-1][1])
    print(f"the whole set, {n_set} chains weighted by its bins (estimated from the chains above): ProDy "
          f"{whole[0]:.0f} s, ours {whole[1]:.0f} s, speed-up {whole[0] / whole[1]:.2f}x (one thread each)")
    if a.memory:
        import tempfile

        big = max(chains, key=lambda c: c.n_residues)
        with tempfile.TemporaryDirectory() as tmp:
            f = os.path.join(tmp, "largest.npy")
            np.save(f, big.coords)
            for path in ("prody", "batched"):
                print(_memory(path, f, big.id, a.threads))
    return 0


if __name__ == "__main__":
    sys.exit(main())
