"""The built book as a reader sees it: every page opened in headless Chromium at 1280 px.

For each page :func:`check_pages` reports, naming the page and the element:

- anything in the content column wider than the column (the page itself scrolling sideways, a
  code cell, an output, a table, an image, a box), and content cut off by a container that hides
  it; a code block that is wider than its box must scroll with a visible scroll bar;
- an image that did not load;
- a figure whose smallest text is under :data:`dlspectra.book.plotting.MIN_TEXT_PX` CSS px at
  the width it is shown (from the font size and dpi that :func:`dlspectra.book.plotting.figure_png`
  records in the PNG, and the image's natural and rendered widths);
- the outcome box (:mod:`dlspectra.book.summary`) missing from a page that must have one.

It drives Chromium through Selenium and the system's ``chromedriver`` (Debian: ``apt-get install
chromium chromium-driver``; ``selenium`` is in the ``dev`` extra): nothing is downloaded.
:func:`browser_problem` says what is missing where it cannot run. ``python -m
dlspectra.book.readercheck HTML_ROOT [DOC ...] [--screenshot DIR]`` checks (and photographs)
pages of a built book.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

from dlspectra.book.plotting import MIN_TEXT_PX, png_text_record, text_px
from dlspectra.book.summary import SUMMARY_CLASS

WINDOW = (1280, 900)
"""The reader's window (CSS px): a laptop screen."""
COLUMN_SELECTOR = "article.bd-article"
"""The content column of a sphinx-book-theme page."""

_CHECK_JS = r"""
const done = arguments[arguments.length - 1];
const SUMMARY = arguments[0];
const finish = () => {
  const col = document.querySelector(arguments[1]);
  const out = {found: !!col, page: [], elements: [], images: [], summary: !!document.querySelector('.' + SUMMARY),
               column: 0, window: window.innerWidth, cells: document.querySelectorAll('div.cell').length};
  if (!col) { done(out); return; }
  const cs = getComputedStyle(col);
  const cr = col.getBoundingClientRect();
  const left = cr.left + parseFloat(cs.paddingLeft), right = cr.right - parseFloat(cs.paddingRight);
  out.column = Math.round(right - left);
  const docW = document.documentElement.scrollWidth;
  if (docW > window.innerWidth + 1) out.page.push(`the page scrolls sideways: ${docW} px wide in a ${window.innerWidth} px window`);
  const cells = Array.from(col.querySelectorAll('div.cell'));
  const where = (el) => {
    const cell = el.closest('div.cell');
    let sec = el.closest('section');
    const h = sec ? sec.querySelector('h1, h2, h3') : null;
    const parts = [];
    if (cell) parts.push(`cell ${cells.indexOf(cell) + 1} of ${cells.length}` + (el.closest('.cell_output') ? ' (output)' : el.closest('.cell_input') ? ' (code)' : ''));
    if (h) parts.push(`section "${h.textContent.replace(/[#¶]/g, '').trim().slice(0, 50)}"`);
    return parts.join(', ');
  };
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = Array.from(el.classList).slice(0, 3);
    if (cls.length) s += '.' + cls.join('.');
    const text = (el.textContent || el.getAttribute('src') || '').replace(/\s+/g, ' ').trim().slice(0, 60);
    return `<${s}>` + (text ? ` "${text}"` : '');
  };
  const scrolls = (st) => st.overflowX === 'auto' || st.overflowX === 'scroll';
  const flagged = [];
  const inside = (el) => flagged.some((f) => f.contains(el));
  for (const el of col.querySelectorAll('*')) {
    if (inside(el)) continue;
    if (el.closest('mjx-assistive-mml')) continue;  // MathJax's copy for screen readers, clipped to nothing
    const st = getComputedStyle(el);
    if (st.display === 'none' || st.visibility === 'hidden' || st.position === 'fixed') continue;
    if (el.closest('details:not([open])') && !el.matches('details, summary') && !el.closest('summary')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    // inside a scrolling box (that is itself checked), content may be wider than the column
    let p = el.parentElement, scrolled = false;
    while (p && p !== col) { if (scrolls(getComputedStyle(p))) { scrolled = true; break; } p = p.parentElement; }
    const isTable = el.tagName === 'TABLE';
    if ((!scrolled || isTable) && (r.right > right + 1.5 || r.left < left - 1.5) && r.width > 0) {
      const over = Math.round(Math.max(r.right - right, left - r.left));
      out.elements.push(`${name(el)} at ${where(el)}: ${Math.round(r.width)} px wide, ${over} px past the ${out.column} px column`);
      flagged.push(el); continue;
    }
    const wide = el.scrollWidth > el.clientWidth + 1;
    if (wide && (st.overflowX === 'hidden' || st.overflowX === 'clip') && el.matches('pre, table, div.highlight, div.cell_output, div.output, div.cell, div.cell_input, .pst-scrollable-table-container')) {
      out.elements.push(`${name(el)} at ${where(el)}: ${el.scrollWidth - el.clientWidth} px of its content cut off`);
      flagged.push(el); continue;
    }
    if (wide && scrolls(st) && el.tagName === 'PRE') {
      const bar = el.offsetHeight - el.clientHeight - parseFloat(st.borderTopWidth) - parseFloat(st.borderBottomWidth);
      if (bar < 4) {
        out.elements.push(`${name(el)} at ${where(el)}: scrolls sideways (${el.scrollWidth - el.clientWidth} px) with no visible scroll bar`);
        flagged.push(el);
      }
    }
  }
  for (const p of col.querySelectorAll('div.cell_output p')) {
    const t = p.textContent.trim();
    if (/^\|.*\|/.test(t) && /\|\s*:?(-{3,}|—+|–+):?\s*\|/.test(t) && !inside(p))
      out.elements.push(`${name(p)} at ${where(p)}: a markdown table shown as text (its rows do not parse: a cell with an unescaped "|"?)`);
  }
  for (const img of col.querySelectorAll('img')) {
    const r = img.getBoundingClientRect();
    out.images.push({src: img.currentSrc || img.src, loaded: img.complete && img.naturalWidth > 0,
                     natural: img.naturalWidth, shown: r.width, output: !!img.closest('.cell_output'),
                     where: where(img)});
  }
  done(out);
};
const ready = () => {
  const imgs = Array.from(document.images);
  const pending = imgs.filter((i) => !i.complete).map((i) => new Promise((res) => { i.onload = i.onerror = res; }));
  const mj = (window.MathJax && MathJax.startup && MathJax.startup.promise) ? MathJax.startup.promise : Promise.resolve();
  Promise.race([Promise.all([...pending, mj]), new Promise((res) => setTimeout(res, 8000))]).then(() => setTimeout(finish, 50));
};
if (document.readyState === 'complete') ready(); else window.addEventListener('load', ready);
"""


def browser_problem() -> str | None:
    """Why the check cannot run here (no Selenium, no Chromium, no chromedriver), or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the Python package selenium is not installed (pip install 'dlspectra[dev]')"
    if chromium() is None:
        return "Chromium is not installed (apt-get install chromium chromium-driver)"
    if shutil.which("chromedriver") is None:
        return "chromedriver is not installed (apt-get install chromium-driver)"
    return None


def chromium() -> str | None:
    """The Chromium executable on the PATH, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class Reader:
    """A headless Chromium window of :data:`WINDOW` size (a context manager)."""

    def __init__(self, width: int = WINDOW[0], height: int = WINDOW[1]) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        why = browser_problem()
        if why:
            raise RuntimeError(f"the reader check cannot run: {why}")
        opts = webdriver.ChromeOptions()
        opts.binary_location = chromium()
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--allow-file-access-from-files", f"--window-size={width},{height}"):
            opts.add_argument(arg)
        self.driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=opts)
        self.driver.set_script_timeout(30)
        self.driver.set_page_load_timeout(60)
        # the window's outer size includes nothing in headless mode; make the viewport exactly width x height
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.driver.quit()
        except Exception:  # noqa: BLE001 - a browser already gone
            pass

    def measure(self, url: str) -> dict:
        """Open ``url`` and return the raw measurements of :data:`_CHECK_JS`."""
        self.driver.get(url)
        return self.driver.execute_async_script(_CHECK_JS, SUMMARY_CLASS, COLUMN_SELECTOR)

    def screenshot(self, url: str, path: Path, *, full_page: bool = True) -> Path:
        """A PNG of ``url`` as shown in the window (``full_page``: the whole page's height)."""
        import base64

        self.driver.get(url)
        self.driver.execute_async_script(_CHECK_JS, SUMMARY_CLASS, COLUMN_SELECTOR)  # wait for images and maths
        metrics = {"width": WINDOW[0], "height": WINDOW[1], "deviceScaleFactor": 1, "mobile": False}
        if full_page:  # a window as tall as the page (at most 16,000 px), then back
            h = int(self.driver.execute_script("return document.documentElement.scrollHeight"))
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {**metrics, "height": min(h, 16000)})
            time.sleep(0.3)
        try:
            data = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})["data"]
        finally:
            if full_page:
                self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path


def findings(measured: dict, *, need_summary: bool = True, notes: list[str] | None = None) -> list[str]:
    """The problems in one page's measurements (see the module docstring); figures whose text the
    house style had to raise to stay legible are appended to ``notes`` (not problems)."""
    if not measured.get("found"):
        return [f"no content column ({COLUMN_SELECTOR}) on the page"]
    out = list(measured["page"]) + list(measured["elements"])
    for img in measured["images"]:
        src = img["src"]
        short = src.rsplit("/", 1)[-1]
        if not img["loaded"]:
            out.append(f"image {short} at {img['where']} did not load")
            continue
        if not img["output"] or not src.startswith("file:"):
            continue
        try:
            record = png_text_record(Path(unquote(urlparse(src).path)).read_bytes())
        except OSError as exc:
            out.append(f"figure {short} at {img['where']}: cannot read the image file ({exc})")
            continue
        if "dlspectra:min-text-pt" not in record:
            if short.lower().endswith(".png") and record.get("dlspectra:dpi") is None:
                out.append(f"figure {short} at {img['where']}: no text-size record (not drawn under the book's "
                           "style: call dlspectra.book.plotting.use_style(), as page.start() does)")
            continue
        px = text_px(float(record["dlspectra:min-text-pt"]), img["natural"], img["shown"], float(record["dlspectra:dpi"]))
        if notes is not None and "dlspectra:raised-from-pt" in record:
            notes.append(f"figure at {img['where']}: text raised from {record['dlspectra:raised-from-pt']} pt to "
                         f"{record['dlspectra:min-text-pt']} pt to stay legible at the column's width")
        if px < MIN_TEXT_PX - 0.05:
            out.append(f"figure {short} at {img['where']}: smallest text {px:.1f} px at its shown width of "
                       f"{img['shown']:.0f} px (font {record['dlspectra:min-text-pt']} pt, "
                       f"\"{record.get('dlspectra:min-text', '')}\"); at least {MIN_TEXT_PX:g} px")
    if need_summary and measured.get("cells", 1) and not measured.get("summary"):
        out.append(f"no outcome box (.{SUMMARY_CLASS}) under the title")
    return out


def book_docs(html_root: Path) -> list[str]:
    """Every page of a built book (doc paths), without Sphinx's index and search pages."""
    root = Path(html_root)
    return sorted(str(p.relative_to(root).with_suffix("")) for p in root.glob("**/*.html")
                  if p.name not in ("genindex.html", "search.html", "py-modindex.html")
                  and not set(p.relative_to(root).parts) & {"_static", "_sources", "_images"})


MODE_ENV = "DLSPECTRA_READER_CHECK"
"""``strict`` (default: findings fail the build), ``warn`` (printed only) or ``off``."""


def run_reader_check(html_root: Path, docs: list[str] | None = None, *, required: bool | None = None) -> int:
    """The check as ``dlspectra book`` runs it after the build: prints the findings per page and
    returns 0 (none), 4 (findings; 0 under ``$DLSPECTRA_READER_CHECK=warn``) or, where the browser
    is missing, 0 with a note (4 when ``required``; default: required under CI, ``$CI`` set)."""
    import os

    mode = os.environ.get(MODE_ENV, "strict").strip().lower() or "strict"
    if mode not in ("strict", "warn", "off"):
        print(f"reader check FAILED: ${MODE_ENV}={mode!r}; use strict, warn or off", file=sys.stderr)
        return 4
    if mode == "off":
        print(f"reader check: off (${MODE_ENV}=off)")
        return 0
    why = browser_problem()
    if why:
        must = bool(os.environ.get("CI")) if required is None else required
        print(f"reader check {'FAILED' if must else 'skipped'}: {why}", file=sys.stderr if must else sys.stdout)
        return 4 if must else 0
    docs = book_docs(html_root) if docs is None else docs
    t0 = time.perf_counter()
    notes: dict[str, list[str]] = {}
    bad = check_pages(html_root, docs, notes=notes)
    if notes:
        print("reader check, figures drawn too wide for their type (better: stack their panels):")
        for doc, lines in notes.items():
            for line in lines:
                print(f"  {doc}: {line}")
    if bad:
        print(f"\nreader check (headless Chromium, {WINDOW[0]} px): what a reader would see wrong:", file=sys.stderr)
        for doc, found in bad.items():
            for f in found:
                print(f"  {doc}: {f}", file=sys.stderr)
        return 0 if mode == "warn" else 4
    print(f"reader check: {len(docs)} page(s) fit the {WINDOW[0]} px window, figures load and are legible "
          f"({time.perf_counter() - t0:.0f} s)")
    return 0


def check_pages(html_root: Path, docs: list[str], *, summary_docs: set[str] | None = None,
                progress=None, notes: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """``{doc: findings}`` for the built pages ``docs`` (``notebooks/xie/fig01_x``, ``book/scorecard``)
    under ``html_root`` that have findings; a page in ``summary_docs`` (default: every doc under
    ``notebooks/``) must show the outcome box. A doc without an HTML file is reported as such.
    ``notes``, when given, collects ``{doc: [figures whose text was raised]}``."""
    html_root = Path(html_root).resolve()
    need = summary_docs if summary_docs is not None else {d for d in docs if d.startswith("notebooks/")}
    out: dict[str, list[str]] = {}
    with Reader() as reader:
        for doc in docs:
            f = html_root / f"{doc}.html"
            if not f.exists():
                out[doc] = [f"no built page {f.name}"]
                continue
            page_notes: list[str] = []
            try:
                found = findings(reader.measure(f.as_uri()), need_summary=doc in need, notes=page_notes)
            except Exception as exc:  # noqa: BLE001 - a page the browser could not measure is a finding
                found = [f"the browser could not measure the page: {type(exc).__name__}: {str(exc).splitlines()[0]}"]
            if found:
                out[doc] = found
            if page_notes and notes is not None:
                notes[doc] = page_notes
            if progress is not None:
                progress(doc, found)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dlspectra.book.readercheck", description=__doc__.split("\n\n")[0])
    ap.add_argument("html_root", type=Path, help="the built book (_build/html)")
    ap.add_argument("docs", nargs="*", help="doc paths such as notebooks/xie/fig03_optimizers_mnist (default: all pages)")
    ap.add_argument("--screenshot", type=Path, metavar="DIR", help="also save a full-page PNG of each page into DIR")
    args = ap.parse_args(argv)
    why = browser_problem()
    if why:
        print(f"readercheck: cannot run: {why}", file=sys.stderr)
        return 2
    root = args.html_root.resolve()
    docs = args.docs or book_docs(root)
    t0 = time.perf_counter()
    bad = check_pages(root, docs)
    for doc, found in bad.items():
        for f in found:
            print(f"{doc}: {f}")
    if args.screenshot:
        with Reader() as reader:
            for doc in docs:
                name = doc.replace("/", "__") + ".png"
                reader.screenshot((root / f"{doc}.html").as_uri(), args.screenshot / name)
    print(f"readercheck: {len(docs)} page(s), {len(bad)} with findings, {time.perf_counter() - t0:.1f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
