"""The reproduction scorecard: every page's claims of one scale, counted and listed.

:func:`scan_results` reads the claims JSONs a build left (``$DLSPECTRA_RESULTS/<scale>/``);
:func:`render_scorecard` turns them into the book's scorecard page (MyST markdown). The claims
themselves are recorded by :class:`dlspectra.book.results.ClaimRecorder`.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

from dlspectra.book.ladder import ladder_summary
from dlspectra.book.results import (_BADGE, INCONCLUSIVE, NOT_REPRODUCED, NOT_RUN_DATA, NOT_RUN_SCALE, PAPERS,
                                    REPRODUCED, VERDICTS, format_value, markdown_table, results_root)

__all__ = ["scan_results", "load_results", "verdict_counts", "format_trend", "verdict_chart", "render_scorecard"]

def scan_results(scale: str, root: Path | None = None) -> tuple[list[dict], list[str]]:
    """Every readable claims JSON of ``scale`` (sorted by notebook id) and one line per file skipped.

    A file that is not valid JSON, or not a claims record of this scale, is skipped and reported,
    never fatal (a truncated file from a killed run, a stray file dropped into the folder).
    """
    folder = (root or results_root()) / scale
    out, skipped = [], []
    for p in sorted(folder.glob("*/*.json")):
        try:
            data = json.loads(p.read_text())
        except (OSError, ValueError) as exc:
            skipped.append(f"{p}: not valid JSON ({type(exc).__name__}); ignored")
            continue
        if not (isinstance(data, dict) and isinstance(data.get("notebook"), str)
                and isinstance(data.get("claims"), list) and data.get("scale") == scale
                and all(isinstance(c, dict) and c.get("verdict") in VERDICTS for c in data["claims"])):
            skipped.append(f"{p}: not a claims file of scale {scale!r}; ignored")
            continue
        out.append(data)
    return sorted(out, key=lambda r: r["notebook"]), skipped


def load_results(scale: str, root: Path | None = None) -> list[dict]:
    """Every readable claims JSON of ``scale``, sorted by notebook id (see :func:`scan_results`)."""
    return scan_results(scale, root)[0]


def verdict_counts(results: list[dict]) -> dict[str, int]:
    counts = {v: 0 for v in VERDICTS}
    for r in results:
        for c in r["claims"]:
            counts[c["verdict"]] += 1
    return counts


def format_trend(claim: dict) -> str:
    """The ladder cell of a claim: empty for a reproduced or not-run claim, else its ladder, the
    reason it has none, or (pages not yet migrated) its legacy K trend."""
    if claim.get("verdict") not in (NOT_REPRODUCED, INCONCLUSIVE):
        return ""
    if claim.get("ladder"):
        return ladder_summary(claim["ladder"])
    if claim.get("no_ladder"):
        return f"no ladder: {claim['no_ladder']}"
    t = claim.get("trend")
    if not t:
        return "no trend computed"
    pairs = ", ".join(f"{format_value(s)}: {format_value(v)}" for s, v in zip(t["settings"], t["values"]))
    stat = f" {t['statistic']}" if t.get("statistic") else ""
    return f"{t['moves']} ({t['axis']}{stat} — {pairs})"


def _link(notebook: str, page: str | None, text: str | None = None) -> str:
    return f"{{doc}}`{text or notebook} </{page}>`" if page else (text or notebook)


CHART_PAGE_PREFIX = "../"
"""From the scorecard's HTML (``book/scorecard.html``) to the book's root, for the chart's links."""

_SHORT = {REPRODUCED: "✓", NOT_REPRODUCED: "✗", INCONCLUSIVE: "~", NOT_RUN_DATA: "· data", NOT_RUN_SCALE: "· scale"}


def _verdict_css(verdict: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in verdict.lower()).replace("--", "-").strip("-")


def page_title(page: dict, result: dict | None) -> str:
    """A page's title for the scorecard: its heading without the "Xie et al., Figure 3 — " part
    (the id says it), else its claims record's ``title``, else ''."""
    heading = (page.get("title") or "").strip()
    if heading and heading != page.get("notebook"):
        return heading.split(" — ", 1)[-1].strip()
    return ((result or {}).get("title") or "").strip()


def verdict_chart(rows: list[tuple[dict, dict | None]]) -> str:
    """The chart of one paper: per page a bar of its verdicts stacked (one colour per verdict),
    the page's id and title beside it (a link to the page), its number of claims after it.

    ``rows``: ``(page, result)`` as :func:`render_scorecard` pairs them (``result`` None: not
    counted, the page's status shows instead). One HTML block (no blank line) for the MyST page.
    """
    import html

    most = max([len(r["claims"]) for _, r in rows if r] or [1]) or 1
    keys = "".join(f'<span class="dls-key"><i class="dls-c-{_verdict_css(v)}"></i>{html.escape(v)}</span>'
                   for v in VERDICTS)
    out = [f'<div class="dlspectra-chart" role="figure" aria-label="verdicts per page"><div class="dls-legend">{keys}</div>']
    for pg, r in rows:
        fid = pg["notebook"].split("/", 1)[-1]
        title = page_title(pg, r)
        label = html.escape(f"{fid} · {title}" if title else fid)
        href = f'{CHART_PAGE_PREFIX}{pg["page"]}.html' if pg.get("page") else ""
        name = (f'<a class="dls-label" href="{html.escape(href)}" title="{label}">{label}</a>' if href
                else f'<span class="dls-label" title="{label}">{label}</span>')
        if r is None:
            bar = f'<div class="dls-bar"><span class="dls-none">{html.escape(pg.get("status", "not counted"))}</span></div>'
            n = ""
        else:
            counts = verdict_counts([r])
            parts = [f'<span class="dls-c-{_verdict_css(v)}" style="width:{100 * counts[v] / most:.2f}%"></span>'
                     for v in VERDICTS if counts[v]]
            tip = ", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts[v]) or "no claims"
            bar = f'<div class="dls-bar" title="{html.escape(tip)}">{"".join(parts)}</div>'
            n = str(len(r["claims"]))
        out.append(f'<div class="dls-row">{name}{bar}<span class="dls-n">{n}</span></div>')
    return "".join(out) + "</div>"


def render_scorecard(scale: str, root: Path | None = None, failed: dict[str, str] | None = None, *,
                     accept=None, pages: list[dict] | None = None, notes: list[str] | None = None) -> str:
    """Markdown (MyST) body of the scorecard: the totals, then per paper a chart of the verdicts
    per page (:func:`verdict_chart`), the table of its pages and the table of its claims.

    ``failed``: notebooks that failed in this build (id -> error line), listed first.
    ``accept``: ``f(result) -> None | reason``; a claims file with a reason is not counted and is
    listed with it (the runner passes one that accepts only pages current in this build).
    ``pages``: every page of the book, in order, as ``{"notebook", "page", "status"}`` (and
    optionally ``"title"``); when given, each paper's chart and page table list each of them
    (status: ``ok`` or why its claims are not counted).
    ``notes``: further lines listed under "not counted".
    """
    scanned, skipped = scan_results(scale, root)
    results, rejected = [], list(skipped)
    for r in scanned:
        why = accept(r) if accept is not None else None
        if why:
            rejected.append(f"`{r['notebook']}`: {why}")
        else:
            results.append(r)
    rejected += list(notes or [])
    lines = [f"Scale **`{scale}`**; generated {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC "
             f"from {len(results)} executed notebook(s).", ""]
    if failed:
        lines += ["```{warning}", "These notebooks failed in this build; their claims are not counted:", ""]
        lines += [f"- `{k}`: {v}" for k, v in sorted(failed.items())]
        lines += ["```", ""]
    if rejected:
        lines += ["```{note}", "Not counted (claims that this build did not produce at this scale):", ""]
        lines += [f"- {x}" for x in rejected]
        lines += ["```", ""]
    if not results and not pages:
        return "\n".join(lines + ["No results yet: run `dlspectra book` (or `make book`)."]) + "\n"
    total = verdict_counts(results)
    lines += ["## Totals", "", markdown_table(["paper", *VERDICTS], [
        [key, *[str(verdict_counts([r for r in results if r["notebook"].startswith(key + "/")])[v]) for v in VERDICTS]]
        for key in PAPERS if any(r["notebook"].startswith(key + "/") for r in results)]
        + [["**all**", *[f"**{total[v]}**" for v in VERDICTS]]]), ""]
    by_id = {r["notebook"]: r for r in results}
    listed = pages if pages is not None else [{"notebook": r["notebook"], "page": r.get("page"), "status": "ok"}
                                              for r in results]
    for key, title in PAPERS.items():
        paper_pages = [pg for pg in listed if pg["notebook"].startswith(key + "/")]
        paper_results = [r for r in results if r["notebook"].startswith(key + "/")]
        if not paper_pages and not paper_results:
            continue
        lines += [f"## {title}", ""]
        if paper_pages:
            pairs = [(pg, by_id.get(pg["notebook"])) for pg in paper_pages]
            lines += [verdict_chart(pairs), ""]
            rows = []
            for pg, r in pairs:
                counts = verdict_counts([r]) if r else None
                name = _link(pg["notebook"], pg.get("page") or (r or {}).get("page"))
                t = page_title(pg, r)
                rows.append([f"{name} {t}".strip(), *[str(counts[v]) if counts else "—" for v in VERDICTS],
                             pg.get("status", "ok")])
            lines += ["**Pages** (✓ reproduced, ✗ not reproduced, ~ inconclusive, · not run: data missing, or "
                      "beyond this scale)", "", markdown_table(["page", *[_SHORT[v] for v in VERDICTS], "status"], rows), ""]
        if paper_results:
            rows = []
            for r in paper_results:
                link = _link(r["notebook"], r.get("page"))
                for c in r["claims"]:
                    rows.append([link, c["text"], format_value(c["paper"]), format_value(c["measured"]),
                                 f"{_BADGE[c['verdict']]} {c['verdict']}", format_trend(c)])
            lines += ["**Claims**", "", markdown_table(["page", "claim", "paper", "this run", "verdict", "ladder"], rows), ""]
    return "\n".join(lines) + "\n"
