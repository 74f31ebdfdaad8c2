"""Command line of the book: ``dlspectra book | list | scorecard | toc``, a thin layer over the jobs.

The jobs live in their own modules: the catalog of pages and the table of contents
(:mod:`dlspectra.book.catalog`), one build (:mod:`dlspectra.book.build`), running pages
(:mod:`dlspectra.book.runner`, :mod:`dlspectra.book.execute`), staging and the scorecard
(:mod:`dlspectra.book.stage`), the HTML site (:mod:`dlspectra.book.site`) and what is printed
(:mod:`dlspectra.book.report`). The help texts below are plain text: they are what ``--help`` shows.
"""

from __future__ import annotations

import argparse
import os
import sys

from dlspectra.errors import DlspectraError
from dlspectra.book.catalog import NOTEBOOK_RE, discover, project_root, render_toc, select, write_toc  # noqa: F401
from dlspectra.book.scales import FIGURE_IDS, SCALES, check_scale
from dlspectra.book.site import ensure_mathjax  # noqa: F401  (part of the command's surface, tested here)

DESCRIPTION = """\
dlspectra: the executable companion book of three papers on Hessian spectra of deep networks
(Xie et al.; Papyan; Baskerville, Granziol and Keating).

Each figure or table is a notebook page under notebooks/<paper>/. `dlspectra book` executes the
pages at a scale (ci: a 2-core CPU; paper: the papers' own settings, meant for a GPU), records every
claim's verdict, and builds the HTML book with its scorecard."""

COMMANDS = {"book": "execute pages, rebuild the scorecard and the HTML book",
            "list": "figure ids, the title and file of each page",
            "scorecard": "regenerate the scorecard page and print its verdict totals",
            "toc": "regenerate _toc.yml from the notebooks present",
            "plan": "per page: parameters, samples and products per solve, basis bytes, smoke-run memory"}
"""Each command's one-line help (``dlspectra --help`` lists them; ``dlspectra COMMAND --help`` says more)."""


def _epilog() -> str:
    width = max(map(len, COMMANDS))
    lines = ["commands (dlspectra COMMAND --help for each):"]
    lines += [f"  {name:{width}s}  {text}" for name, text in COMMANDS.items()]
    return "\n".join(lines) + "\n\n" + EPILOG


EPILOG = """\
examples:
  dlspectra list                                  the pages and their titles
  dlspectra book --only xie/fig01 --no-html       run one page, no HTML
  dlspectra book --jobs 2                         the whole book, two pages at a time
  dlspectra scorecard                             the verdict totals of the last build

environment: DLSPECTRA_DATA (data folder), DLSPECTRA_CACHE (trained models and spectra),
DLSPECTRA_RESULTS (claims), DLSPECTRA_THREADS (torch threads per page), DLSPECTRA_DASK_SCHEDULER."""


def cmd_book(args: argparse.Namespace) -> int:
    from dlspectra.book.build import BuildOptions, build_book

    return build_book(BuildOptions(scale=args.scale, only=args.only, jobs=args.jobs, cluster=args.cluster,
                                   force=args.force, device=args.device, timeout=args.timeout,
                                   no_html=args.no_html, skip_data_check=args.skip_data_check, smoke=args.smoke))


def cmd_list(args: argparse.Namespace) -> int:  # noqa: ARG001
    notebooks = discover()
    width = max(len(f) for f in FIGURE_IDS)
    for fid in FIGURE_IDS:
        nb = notebooks.get(fid)
        print(f"{fid:{width}s}  {nb.title + '  (' + nb.source.name + ')' if nb else '(no notebook yet)'}")
    print(f"\n{len(notebooks)} of {len(FIGURE_IDS)} figures and tables have a notebook")
    return 0


def cmd_scorecard(args: argparse.Namespace) -> int:
    from dlspectra.book import report
    from dlspectra.book.paths import resolve_settings
    from dlspectra.book.runner import book_keys, key_device
    from dlspectra.book.scorecard import scan_results
    from dlspectra.book.stage import scorecard_inputs, write_scorecard

    check_scale(args.scale)
    root = project_root()
    resolve_settings(root)
    notebooks = discover(root)
    remote = bool(os.environ.get("DLSPECTRA_DASK_SCHEDULER"))
    store, variant = args.scale, ""
    if args.smoke:
        from dlspectra.book import smoke

        store, variant = smoke.store(args.scale), f"smoke-{smoke.digest()}"
    keys = book_keys(notebooks, args.scale, key_device(args.device, remote),
                     "unchecked" if args.skip_data_check else "verified", variant)
    path = write_scorecard(root, store, keys=keys, notebooks=notebooks)
    accept, pages = scorecard_inputs(notebooks, store, keys)
    counted = {r["notebook"]: [c["verdict"] for c in r["claims"]] for r in scan_results(store)[0]
               if accept(r) is None}
    failed = [p["notebook"] for p in pages if p["status"].startswith(("failed", "timed out"))]
    print(f"{'smoke run of ' if args.smoke else ''}scale {args.scale}: claims of {len(counted)} current page(s) "
          f"of {len(notebooks)}")
    print(report.verdict_table(counted, failed))
    print(f"\nscorecard page: {path}")
    return 0


def cmd_toc(args: argparse.Namespace) -> int:
    root = project_root()
    print(f"dlspectra toc: checkout {root}", file=sys.stderr)
    notebooks = discover(root)
    if args.check:
        current = (root / "_toc.yml").read_text() if (root / "_toc.yml").exists() else ""
        if current != render_toc(notebooks):
            print("_toc.yml is out of date: run `dlspectra toc`", file=sys.stderr)
            return 1
        return 0
    print("_toc.yml " + ("rewritten" if write_toc(root, notebooks) else "unchanged"))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dlspectra.book import plan
    from dlspectra.book.paths import resolve_settings

    check_scale(args.scale)
    root = project_root()
    settings = resolve_settings(root)
    rows = plan.plan_rows(root, discover(root), args.scale)
    protein = plan.protein_fetch(settings.get("DLSPECTRA_DATA"))
    print(plan.render(rows, protein))
    if args.json:
        plan.write_json(Path(args.json), rows, protein)
    return 0


def parser() -> argparse.ArgumentParser:
    def fmt(prog: str) -> argparse.HelpFormatter:
        return argparse.RawDescriptionHelpFormatter(prog, max_help_position=28)

    ap = argparse.ArgumentParser(prog="dlspectra", usage="dlspectra [-h] COMMAND [options]", description=DESCRIPTION,
                                 epilog=_epilog(), formatter_class=fmt)
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND", help=argparse.SUPPRESS)
    b = sub.add_parser("book", help=COMMANDS["book"], formatter_class=fmt,
                       description="Execute the notebook pages that changed since their last run (all with "
                                   "--force), record their claims, stage the book and build its HTML into "
                                   "_build/html.")
    b.add_argument("--scale", default="ci", help=f"one of {', '.join(SCALES)} (default ci)")
    b.add_argument("--only", nargs="+", metavar="ID", help="figure ids such as xie/fig01 (default: all)")
    b.add_argument("--jobs", type=int, default=1,
                   help="pages run at once, each in a local worker process with cores/jobs threads "
                        "(default 1: in this process, with all the cores or DLSPECTRA_THREADS)")
    b.add_argument("--cluster", metavar="ADDRESS", default=None,
                   help="run the pages on a running Dask scheduler (default $DLSPECTRA_DASK_SCHEDULER)")
    b.add_argument("--force", action="store_true", help="re-run pages whose key is unchanged")
    b.add_argument("--device", default="auto", help="torch device for the pages (default auto: CUDA if present)")
    b.add_argument("--timeout", type=int, default=None, help="per-cell timeout in seconds (default none)")
    b.add_argument("--no-html", action="store_true", help="execute and score only; skip jupyter-book")
    b.add_argument("--skip-data-check", action="store_true", help="do not verify the data folder before running")
    b.add_argument("--smoke", action="store_true",
                   help="smoke run: the scale's models, data sets, solvers and dtypes with budgets capped "
                        "(1 epoch of 2 batches, a few Lanczos steps, probes and chains); claims recorded "
                        "'not run: scale'; pages and cache kept apart (_build/pages/<scale>-smoke)")
    b.set_defaults(func=cmd_book)
    sub.add_parser("list", help=COMMANDS["list"], description=COMMANDS["list"]).set_defaults(func=cmd_list)
    s = sub.add_parser("scorecard", help=COMMANDS["scorecard"], description=COMMANDS["scorecard"])
    s.add_argument("--scale", default="ci", help=f"one of {', '.join(SCALES)} (default ci)")
    s.add_argument("--device", default="auto", help="the device the build ran with (part of each page's key)")
    s.add_argument("--skip-data-check", action="store_true", help="the build ran with --skip-data-check")
    s.add_argument("--smoke", action="store_true", help="the totals of the smoke run of the scale")
    s.set_defaults(func=cmd_scorecard)
    t = sub.add_parser("toc", help=COMMANDS["toc"], description=COMMANDS["toc"])
    t.add_argument("--check", action="store_true", help="fail if _toc.yml is out of date")
    t.set_defaults(func=cmd_toc)
    pl = sub.add_parser("plan", help=COMMANDS["plan"], description=COMMANDS["plan"] + " (measured columns from the "
                        "last `dlspectra book --scale SCALE --smoke`; see dlspectra.book.plan)")
    pl.add_argument("--scale", default="paper", help=f"one of {', '.join(SCALES)} (default paper)")
    pl.add_argument("--json", metavar="FILE", default=None, help="also write the plan as JSON")
    pl.set_defaults(func=cmd_plan)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except DlspectraError as exc:
        print(f"dlspectra: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("dlspectra: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `dlspectra list | head`: the reader stopped reading
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
