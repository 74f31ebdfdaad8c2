"""Command line of the protein module: ``python -m dlspectra.proteins fetch|spectrum``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .anm import protein_spectrum
from .fetch import FetchError, fetch_pisces_chains


# ----------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m dlspectra.proteins fetch LIST OUT [--limit N]`` or ``spectrum FILE.pdb [--k-rule tenth|1000]``."""
    p = argparse.ArgumentParser(prog="python -m dlspectra.proteins", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fetch", help="download the chains of a PISCES list into a C-alpha archive (needs network)")
    f.add_argument("list_path")
    f.add_argument("out_dir")
    f.add_argument("--limit", type=int, default=None)
    f.add_argument("--max-resolution", type=float, default=2.0)
    f.add_argument("--base-url", default=None,
                   help="where the PDB files are served (default: $DLSPECTRA_PDB_URL, else the RCSB download URL)")
    s = sub.add_parser("spectrum", help="ANM inverse spectrum and power-law fit of a local PDB file")
    s.add_argument("pdb_file")
    s.add_argument("--k-rule", default="tenth")
    a = p.parse_args(argv)
    if a.cmd == "fetch":
        try:
            res = fetch_pisces_chains(a.list_path, a.out_dir, limit=a.limit, max_resolution=a.max_resolution,
                                      base_url=a.base_url)
        except FetchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        npz, idx = res
        counts = ", ".join(f"{k} {v}" for k, v in res.counts.items() if v)
        print(f"wrote {npz} and {idx} ({counts})")
        return 0
    rule: str | int = a.k_rule if a.k_rule == "tenth" else int(a.k_rule)
    spec = protein_spectrum(a.pdb_file)
    fit = spec.fit(rule)
    print(f"{spec.id}: N = {spec.n_residues}, zero modes = {spec.n_zero_modes}, K = {fit.k}, beta = {fit.beta:.4f} "
          f"± {fit.sigma:.4f}, s = {fit.s_mle:.4f}, d_ks = {fit.d_ks:.4f}, d_c = {fit.d_c:.4f}, "
          f"power law {'accepted' if fit.accepted else 'rejected'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
