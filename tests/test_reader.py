"""The reader's view (issue 22): figure legibility records, the outcome box, folded figure code, the
scorecard's chart, and the headless-Chromium check of built pages (on small synthetic pages here;
``dlspectra book`` runs the same check over the whole built book after every HTML build)."""

import base64
import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pytest  # noqa: E402

from dlspectra.book import plotting  # noqa: E402
from dlspectra.book.readercheck import browser_problem, check_pages, findings  # noqa: E402
from dlspectra.book.scorecard import render_scorecard, verdict_chart  # noqa: E402
from dlspectra.book.summary import (SUMMARY_CLASS, add_summary, anchor_claim_rows, claim_anchor,  # noqa: E402
                                    fold_figure_code, summary_html)


def _figure(legend_pt: float, width: float = 6.0):
    plotting.use_style()
    fig, ax = plt.subplots(figsize=(width, 3.0))
    ax.plot([1, 2, 3], label="a line")
    ax.legend(fontsize=legend_pt)
    ax.set_title("a title")
    return fig


def test_smallest_text_is_the_smallest_visible_font():
    fig = _figure(6.5)
    fig.canvas.draw()
    assert plotting.smallest_text(fig) == (6.5, "a line")
    fig.legends.clear()
    fig.axes[0].get_legend().set_visible(False)  # a hidden legend does not count
    assert plotting.smallest_text(fig)[0] == plt.rcParams["xtick.labelsize"]
    plt.close(fig)


def test_figure_png_is_twice_the_resolution_and_records_its_smallest_text():
    fig = _figure(7.0)
    data, meta = plotting.figure_png(fig)
    raw = base64.b64decode(data)
    rec = plotting.png_text_record(raw)
    assert rec["dlspectra:min-text-pt"] == "7" and rec["dlspectra:min-text"] == "a line"
    assert float(rec["dlspectra:dpi"]) == plotting.PNG_SCALE * plotting.PX_PER_INCH
    from io import BytesIO

    from PIL import Image

    w, h = Image.open(BytesIO(raw)).size
    assert meta == {"width": w // 2, "height": h // 2}  # shown at fig.dpi: a click opens the full resolution
    assert 520 < meta["width"] <= 600  # about 6 in x 100 px/in (tight box)
    # shown at its own width, 7 pt is 7/72*100 = 9.7 px; squeezed into 300 px it is under 8 px
    assert plotting.text_px(7.0, w, meta["width"], 200) == pytest.approx(7 / 72 * 100, rel=0.01)
    assert plotting.text_px(7.0, w, 300, 200) < plotting.MIN_TEXT_PX
    plt.close(fig)
    assert plotting.figure_png(plt.figure()) is None  # an empty figure shows nothing


def test_text_of_a_figure_wider_than_the_column_is_raised_to_stay_legible():
    fig = _figure(6.5, width=16.0)
    data, meta = plotting.figure_png(fig)
    rec = plotting.png_text_record(base64.b64decode(data))
    assert rec["dlspectra:raised-from-pt"] == "6.5"
    shown = min(plotting.COLUMN_PX, meta["width"])
    px = plotting.text_px(float(rec["dlspectra:min-text-pt"]), 2 * meta["width"], shown, 200)
    assert plotting.MIN_TEXT_PX <= px < plotting.MIN_TEXT_PX + 0.5
    plt.close(fig)
    fig = _figure(8.5, width=6.0)  # legible as drawn: left alone
    assert plotting.ensure_legible(fig) is None and plotting.smallest_text(fig)[0] == 8.5
    plt.close(fig)


def test_panel_grid_stacks_panels_that_do_not_fit_the_column():
    fig, axes = plotting.panel_grid(5, panel=(3.8, 3.0))
    assert len(axes) == 5 and fig.get_size_inches()[0] <= plotting.COLUMN_IN
    assert sum(ax.get_visible() for ax in fig.axes) == 5  # the sixth cell is hidden
    plt.close(fig)
    with pytest.raises(ValueError):
        plotting.panel_grid(0)


CLAIMS = [{"claim_id": "a-1", "text": "the spectrum is a power law", "verdict": "reproduced"},
          {"claim_id": "b", "text": "SGD < Adam <script>", "verdict": "not reproduced"},
          {"claim_id": "c", "text": "ordering", "verdict": "inconclusive"}]


def test_summary_box_counts_and_links_each_claim():
    box = summary_html({"claims": CLAIMS}, "ci")
    assert f'class="{SUMMARY_CLASS}"' in box and "\n\n" not in box  # one HTML block for MyST
    assert "1 reproduced</span> · <span" in box and "1 not reproduced" in box and "1 inconclusive" in box
    assert "not run" not in box
    assert f'href="#{claim_anchor("a-1")}"' in box and "SGD &lt; Adam &lt;script&gt;" in box
    assert "no verdicts" in summary_html(None, "ci", "it failed")


def _page(claims_table: bool = True):
    from dlspectra.book.results import ClaimTable, Claim

    doc = nbformat.v4.new_notebook()
    doc.cells = [nbformat.v4.new_markdown_cell("# Xie et al., Figure 3 — a title\n\n## What the paper shows\n\nText."),
                 nbformat.v4.new_code_cell("plt.plot()"), nbformat.v4.new_code_cell("page.finish()")]
    doc.cells[1].outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBOR", "text/plain": "<Figure>"})]
    if claims_table:
        table = ClaimTable([Claim(c["claim_id"], c["text"], "r", c["verdict"]) for c in CLAIMS], "ci")
        doc.cells[2].outputs = [nbformat.v4.new_output("execute_result", data={"text/html": table._repr_html_()})]
    return doc


class _Nb:
    def __init__(self, path):
        self.path = path

    def claims(self, store):
        return self.path


def test_add_summary_puts_the_box_under_the_title_and_anchors_the_claims(tmp_path):
    path = tmp_path / "fig03.json"
    path.write_text(json.dumps({"notebook": "xie/fig03", "claims": CLAIMS}))
    doc = add_summary(_page(), _Nb(path), "ci")
    assert doc.cells[0].source == "# Xie et al., Figure 3 — a title"
    assert SUMMARY_CLASS in doc.cells[1].source and doc.cells[2].source.startswith("## What the paper shows")
    html = doc.cells[4].outputs[0]["data"]["text/html"]
    assert 'id="claims-table"' in html and all(f'<tr id="{claim_anchor(c["claim_id"])}">' in html for c in CLAIMS)
    nbformat.validate(doc)
    failed = add_summary(_page(), _Nb(tmp_path / "missing.json"), "ci")
    assert "no verdicts" in failed.cells[1].source
    assert not anchor_claim_rows(_page(claims_table=False), CLAIMS)


def test_figure_cells_are_folded_and_tagged_cells_left_alone():
    doc = _page()
    doc.cells[2].metadata["tags"] = ["hide-input"]
    doc = fold_figure_code(doc, None, "ci")
    assert doc.cells[1].metadata["tags"] == ["hide-input"] and doc.cells[2].metadata["tags"] == ["hide-input"]


def test_scorecard_chart_stacks_each_pages_verdicts(tmp_path):
    from dlspectra.book.results import ClaimRecorder

    rec = ClaimRecorder("bask/fig01", "ci", title="Global densities", page="notebooks/bask/fig01_x")
    rec.check("a", "A", rule="r", holds=True)
    rec.check("b", "B", rule="r", holds=False)
    rec.save(tmp_path)
    pages = [{"notebook": "bask/fig01", "page": "notebooks/bask/fig01_x", "status": "ok", "title": "Baskerville et al., Figure 1 — global densities"},
             {"notebook": "bask/fig02", "page": "notebooks/bask/fig02_y", "status": "not run at this scale"}]
    md = render_scorecard("ci", tmp_path, pages=pages)
    chart = md[md.index('<div class="dlspectra-chart"'):]
    chart = chart[:chart.index("\n")]
    assert 'href="../notebooks/bask/fig01_x.html"' in chart and "fig01 · global densities" in chart
    assert chart.count('style="width:50.00%"') == 2 and "not run at this scale" in chart
    assert "| {doc}`bask/fig01 </notebooks/bask/fig01_x>` global densities | 1 | 1 | 0 | 0 | 0 | ok |" in md
    assert verdict_chart([]).endswith("</div>")


def test_theme_extension_serves_the_stylesheet():
    from dlspectra.book import theme

    css = (theme.STATIC / theme.STYLESHEET).read_text()
    assert ".dlspectra-summary" in css and ".dlspectra-chart" in css and "pre-wrap" in css

    class Config:
        html_static_path = ["x"]

    cfg = Config()
    theme._add_static(None, cfg)
    theme._add_static(None, cfg)
    assert cfg.html_static_path == ["x", str(theme.STATIC)]


def test_findings_name_each_problem():
    m = {"found": True, "page": ["the page scrolls sideways"], "elements": ["<table> at cell 2: 40 px past"],
         "images": [{"src": "file:///nowhere/a.png", "loaded": False, "natural": 0, "shown": 0, "output": True,
                     "where": "cell 3 of 5"}], "summary": False, "cells": 5}
    found = findings(m)
    assert found[:2] == ["the page scrolls sideways", "<table> at cell 2: 40 px past"]
    assert "image a.png at cell 3 of 5 did not load" in found and any("no outcome box" in f for f in found)
    assert findings({**m, "cells": 0, "page": [], "elements": [], "images": []}) == []  # a placeholder page


# -- the browser check on synthetic pages ------------------------------------------------------

PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; }} article.bd-article {{ width: 600px; padding: 0 20px; }}
pre {{ overflow-x: auto; }} .cut {{ overflow-x: hidden; }} img {{ max-width: 100%; height: auto; }}
</style></head><body><article class="bd-article"><section><h1>Page</h1>{summary}{body}</section></article></body></html>"""


def _png(tmp_path, name, legend_pt, width, shown=None):
    fig = _figure(legend_pt, width)
    data, meta = plotting.figure_png(fig)
    plt.close(fig)
    (tmp_path / name).write_bytes(base64.b64decode(data))
    return f'<img src="{name}" width="{shown or meta["width"]}">'


@pytest.mark.skipif(browser_problem() is not None, reason=f"reader check cannot run: {browser_problem()}")
def test_browser_check_names_the_page_and_element(tmp_path):
    summary = f'<div class="{SUMMARY_CLASS}">outcome</div>'
    good = ('<div class="cell"><div class="cell_input"><pre>' + "x = 1  # " * 30 + "</pre></div>"
            f'<div class="cell_output">{_png(tmp_path, "ok.png", 8.5, 6.0)}</div></div>'
            "<table><tr><td>short</td><td>table</td></tr></table>")
    bad = ('<div class="cell"><div class="cell_output"><table><tr><td style="white-space:nowrap">' + "wide " * 60
           + '</td></tr></table></div></div><div class="cell"><div class="cell_output"><pre class="cut">' + "y" * 300
           + '</pre></div></div><div class="cell"><div class="cell_output">'
           + _png(tmp_path, "tiny.png", 8.0, 6.0, shown=200) + '<img src="missing.png"></div></div>'
           '<div class="cell"><div class="cell_output"><p>| a | b |c| |\n|---|---|</p></div></div>')
    (tmp_path / "good.html").write_text(PAGE.format(summary=summary, body=good))
    (tmp_path / "bad.html").write_text(PAGE.format(summary="", body=bad))
    out = check_pages(tmp_path, ["good", "bad", "gone"], summary_docs={"good", "bad"})
    assert "good" not in out, out.get("good")
    text = "\n".join(out["bad"])
    assert "<table>" in text and "px past the 600 px column" in text and "cell 1 of 4" in text
    assert "px of its content cut off" in text and "<pre.cut>" in text
    assert "tiny.png" in text and "smallest text" in text and '"a line"' in text
    assert "missing.png" in text and "did not load" in text
    assert "markdown table shown as text" in text
    assert "no outcome box" in text
    assert out["gone"] == ["no built page gone.html"]


def test_point_labels_of_nearby_points_do_not_overlap():
    plotting.use_style()
    fig, ax = plt.subplots(figsize=(5, 3))
    xs, ys = [1.0, 1.001, 1.002, 2.0], [5.0, 5.0, 5.01, 1.0]
    ax.scatter(xs, ys)
    assert plotting.label_points(ax, xs, ys, ["adam", "amsgrad", "adabound", "sgd"]) is None
    notes = ax.texts
    fig.canvas.draw()
    from matplotlib.text import Text

    boxes = [Text.get_window_extent(a) for a in notes]  # the text alone, not its leader line
    assert not any(boxes[i].overlaps(boxes[j]) for i in range(4) for j in range(i + 1, 4))
    plt.close(fig)
