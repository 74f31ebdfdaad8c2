"""What a page shows its reader first: the outcome box under the title, the figure code folded away.

Both are staging hooks (:data:`dlspectra.book.stage.PAGE_HOOKS`, ``f(doc, notebook, store) -> doc``):
they change the copy of an executed page that the HTML is built from, never the executed page.

- :func:`add_summary`: under the page's title (its first ``# `` heading), a box with the counts of
  the page's verdicts at this scale and each claim's one-line text with its verdict, linked to its
  row of the claims table below (the rows get ids ``claim-<id>``). The claims are read from the
  claims JSON the run left; a page without one (a failed run) says so in the box.
- :func:`fold_figure_code`: every code cell that draws a figure (an image among its outputs) gets
  the ``hide-input`` tag, as the set-up and claims cells have: the figure shows, its code is one
  click away.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from dlspectra.book.results import _BADGE, VERDICTS

SUMMARY_CLASS = "dlspectra-summary"
"""The HTML class of the outcome box (the reader check looks for it on every page)."""

_FOLD_TAGS = {"hide-input", "remove-input", "hide-cell", "remove-cell", "parameters", "injected-parameters"}


def claim_anchor(claim_id: str) -> str:
    """The HTML id of a claim's row in the page's claims table."""
    return "claim-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", str(claim_id)).strip("-") or "x")


def verdict_class(verdict: str) -> str:
    """CSS class of a verdict (``v-reproduced``, ``v-not-reproduced``, ``v-not-run-data-missing``...)."""
    return "v-" + re.sub(r"[^a-z]+", "-", verdict.lower()).strip("-")


def count_line(claims: list[dict]) -> str:
    """HTML: the non-zero verdict counts, in the order of :data:`VERDICTS`."""
    parts = []
    for v in VERDICTS:
        n = sum(1 for c in claims if c.get("verdict") == v)
        if n:
            parts.append(f'<span class="dlspectra-count {verdict_class(v)}">{n} {html.escape(v)}</span>')
    return " · ".join(parts)


def summary_html(result: dict | None, scale: str, why_none: str = "") -> str:
    """The outcome box (one HTML block, no blank line) for a page's claims record ``result``."""
    head = f'<p class="dlspectra-summary-head"><strong>Outcome at scale <code>{html.escape(scale)}</code></strong>'
    if not result or not result.get("claims"):
        reason = why_none or "this run recorded no claims"
        return (f'<div class="{SUMMARY_CLASS}" id="outcome">{head}: no verdicts — {html.escape(reason)}.</p></div>')
    claims = result["claims"]
    items = []
    for c in claims:
        v = c.get("verdict", "")
        items.append(f'<li class="{verdict_class(v)}"><span class="dlspectra-verdict">{html.escape(_BADGE.get(v, "?"))} '
                     f'{html.escape(v)}</span> <a href="#{claim_anchor(c.get("claim_id", ""))}">'
                     f'{html.escape(" ".join(str(c.get("text", "")).split()))}</a></li>')
    return (f'<div class="{SUMMARY_CLASS}" id="outcome">{head}: {count_line(claims)} '
            f'(<a href="#claims-table">claims table</a>)</p><ul>{"".join(items)}</ul></div>')


def read_claims(path: Path) -> dict | None:
    """The claims record at ``path``, or None when it is missing or unreadable."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("claims"), list) else None


def _title_split(source: str) -> tuple[str, str] | None:
    """(the title line, the rest) of a markdown cell whose first heading is a ``# `` title, else None."""
    lines = source.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[: i + 1]), "\n".join(lines[i + 1:]).strip("\n")
        if line.strip():
            return None
    return None


_CLAIMS_TABLE = re.compile(r'<table class="dlspectra-claims"')


def anchor_claim_rows(doc: Any, claims: list[dict]) -> bool:
    """Give each row of the page's claims table (the HTML output of ``page.finish()``) the id of its
    claim, in the order recorded, and the table the id ``claims-table``; True when a table was found."""
    for cell in doc.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            text = data.get("text/html")
            if text is None:
                continue
            text = "".join(text) if isinstance(text, list) else text
            if not _CLAIMS_TABLE.search(text):
                continue
            rows = iter(claims)

            def row_id(m: re.Match) -> str:
                c = next(rows, None)
                return f'<tr id="{claim_anchor(c["claim_id"])}">' if c is not None else m.group(0)

            head, sep, body = text.partition("<tbody>")
            if not sep:
                continue
            body = re.sub(r"<tr>", row_id, body)
            head = _CLAIMS_TABLE.sub('<table class="dlspectra-claims" id="claims-table"', head, count=1)
            data["text/html"] = head + sep + body
            return True
    return False


def add_summary(doc: Any, nb: Any, store: str) -> Any:
    """Staging hook: the outcome box under the title of ``doc`` (see the module docstring)."""
    import nbformat

    result = read_claims(nb.claims(store))
    if result is not None:
        anchor_claim_rows(doc, result["claims"])
    box = summary_html(result, store, "" if result is not None else
                       "the run left no claims (it failed or stopped: its error shows below)")
    for i, cell in enumerate(doc.cells):
        if cell.cell_type != "markdown":
            continue
        split = _title_split(cell.source)
        if split is None:
            break
        title, rest = split
        cell.source = title
        new = [nbformat.v4.new_markdown_cell(box)]
        if rest:
            new.append(nbformat.v4.new_markdown_cell(rest))
        for c in new:
            c.pop("id", None)
        doc.cells[i + 1:i + 1] = new
        return _ids(doc)
    doc.cells.insert(0, nbformat.v4.new_markdown_cell(box))  # no title: the box opens the page
    doc.cells[0].pop("id", None)
    return _ids(doc)


def _ids(doc: Any) -> Any:
    """Unique cell ids where nbformat 4.5 asks for them (new cells got none)."""
    if doc.get("nbformat", 4) == 4 and doc.get("nbformat_minor", 0) >= 5:
        seen = {c.get("id") for c in doc.cells}
        for n, c in enumerate(doc.cells):
            if not c.get("id"):
                k = n
                while f"dlspectra-{k}" in seen:
                    k += 1
                c["id"] = f"dlspectra-{k}"
                seen.add(c["id"])
    return doc


def fold_figure_code(doc: Any, nb: Any, store: str) -> Any:  # noqa: ARG001 - the hook's signature
    """Staging hook: ``hide-input`` on every code cell with an image output and no folding tag yet."""
    for cell in doc.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        if _FOLD_TAGS & set(tags):
            continue
        if any(k.startswith("image/") for out in cell.get("outputs", []) for k in out.get("data", {})):
            cell.metadata["tags"] = [*tags, "hide-input"]
    return doc


HOOKS = (fold_figure_code, add_summary)
"""The reader's staging hooks, in the order they apply."""
