"""Check the built pages for what a reader should never see: Python warnings, tracebacks, local paths.

Only the notebooks' output areas are read (MyST-NB marks them ``cell_output``), so code and the
book's own text are not flagged. :func:`check_page` returns one finding per problem; the runner
fails the build naming each page with findings.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

WARNING_RE = re.compile(r"\b[A-Z]\w*Warning: |\bwarnings\.warn\(")
"""A Python warning as Python prints it (``RuntimeWarning: ...``), not a page's own "Warning" admonition title."""
TRACEBACK_RE = re.compile(r"Traceback \(most recent call last\)|\bFile \"[^\"]+\", line \d+")
PATH_RE = re.compile(r"(?<![\w.])(/(?:home|tmp|work|root|Users|var/folders|private)/[\w.\-/]+"
                     r"|[A-Za-z]:\\[\w.\-\\]+|[\w.\-/]*site-packages/[\w.\-/]+)")


class _Outputs(HTMLParser):
    """Collects the text inside elements whose class includes ``cell_output``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # >0 while inside an output area
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("br", "img", "hr", "meta", "link", "input", "wbr", "source"):
            return
        if self.depth:
            self.depth += 1
        elif "cell_output" in (dict(attrs).get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "img", "hr", "meta", "link", "input", "wbr", "source"):
            return
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.texts.append(data)


def output_text(html_text: str) -> str:
    """The text of a page's notebook output areas."""
    p = _Outputs()
    p.feed(html_text)
    return "".join(p.texts)


def check_text(text: str, local_paths: tuple[str, ...] = ()) -> list[str]:
    """Findings in output text: warnings, tracebacks, local file paths (also any of ``local_paths``)."""
    found = []
    for name, rx in (("Python warning", WARNING_RE), ("traceback", TRACEBACK_RE), ("local file path", PATH_RE)):
        m = rx.search(text)
        if m:
            found.append(f"{name}: {_around(text, m.start(), m.end())}")
    for p in local_paths:
        if p and p in text and not any(f.startswith("local file path") for f in found):
            i = text.index(p)
            found.append(f"local file path: {_around(text, i, i + len(p))}")
    return found


def _around(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - 30): end + 50].split())


def check_page(path: Path, local_paths: tuple[str, ...] = ()) -> list[str]:
    """Findings in one built HTML page (see :func:`check_text`)."""
    return check_text(output_text(Path(path).read_text(errors="replace")), local_paths)


def check_book(html_root: Path, pages: list[str], local_paths: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """``{doc: findings}`` for each page doc (``notebooks/xie/fig01_x``) under ``html_root`` with findings."""
    out = {}
    for doc in pages:
        f = Path(html_root) / f"{doc}.html"
        if f.exists():
            found = check_page(f, local_paths)
            if found:
                out[doc] = found
    return out
