"""Templates: the product's own, a foreign 4:3 corporate master with renamed and missing layouts,
a master with no title layouts at all, and a .potx; plus rendering with LibreOffice when present."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Inches

from planner.document import PlanDocument
from reports import ExportOptions, build_deck
from reports.template import choose_layouts, open_template

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_plans" / "northmoor.rcplan"


@pytest.fixture(scope="module")
def plan():
    with PlanDocument.open(SAMPLE, readonly=True) as doc:  # no lock beside the sample
        return doc.plan


def corporate_template(path: Path, *, keep=None, names=None, example_slides: int = 2) -> Path:
    """A 4:3 master like many organisations' own: layouts renamed, some removed, example slides."""
    prs = Presentation()  # python-pptx's default master is 4:3
    names = names or {"Title Slide": "Trust cover", "Title and Content": "Body text",
                      "Section Header": "Divider", "Two Content": "Two columns",
                      "Comparison": "Compare", "Blank": "Empty"}
    for layout in list(prs.slide_layouts):
        if keep is not None and layout.name not in keep:
            prs.slide_layouts.remove(layout)
        elif layout.name in ("Title Only", "Content with Caption", "Picture with Caption",
                             "Title and Vertical Text", "Vertical Title and Text") and keep is None:
            prs.slide_layouts.remove(layout)
    for layout in prs.slide_layouts:
        if layout.name in names:
            layout._element.cSld.set("name", names[layout.name])
    for i in range(example_slides):
        s = prs.slides.add_slide(prs.slide_layouts[0])
        s.shapes.title.text = f"Example slide {i + 1}"
    prs.save(path)
    return path


def check_deck(prs, report):
    W, H = prs.slide_width, prs.slide_height
    assert [s.shapes.title.text_frame.text for s in prs.slides] == [e.title for e in report.outline]
    for n, s in enumerate(prs.slides, 1):
        assert s.shapes.title is not None and s.shapes.title.text_frame.text
        for sh in s.shapes:
            if sh.left is None:
                continue
            assert 0 <= sh.left and sh.left + sh.width <= W, (n, sh.name)
            assert 0 <= sh.top and sh.top + sh.height <= H, (n, sh.name)


def test_product_template_is_16_9_with_standard_layouts():
    prs, info = open_template(None)
    assert info.own and info.aspect == "16:9" and len(prs.slides) == 0
    layouts = choose_layouts(prs, info)
    assert info.layouts == {"Cover": "Title Slide", "Table and chart": "Title Only",
                            "Text": "Title and Content"}
    assert info.notes == []
    assert layouts.content_box.width > Inches(12)


def test_foreign_4_3_template_with_renamed_and_missing_layouts(tmp_path, plan):
    t = corporate_template(tmp_path / "corporate.pptx")
    prs, report = build_deck(plan, ExportOptions(output="x.pptx", template=t))
    info = report.template
    assert info.aspect == "4:3" and not info.own
    assert info.layouts["Cover"] == "Trust cover"
    assert info.layouts["Text"] == "Body text"
    # no title-only layout: tables and charts use the text layout with its body removed
    assert info.layouts["Table and chart"] == "Body text"
    assert any("No 'title only' layout" in n for n in info.notes)
    assert info.removed_slides == 2
    assert not any(s.shapes.title.text_frame.text.startswith("Example slide") for s in prs.slides)
    check_deck(prs, report)
    # 4:3: one chart per row, two per slide
    charts = [sh for s in prs.slides for sh in s.shapes if sh.has_chart]
    chart_slides = [s for s in prs.slides if any(sh.has_chart for sh in s.shapes)]
    assert len(charts) == len(plan.measures)
    assert max(sum(1 for sh in s.shapes if sh.has_chart) for s in chart_slides) == 2
    text = "\n".join(report.lines())
    assert "your organisation's template, 4:3" in text


def test_template_without_any_title_layout(tmp_path, plan):
    t = corporate_template(tmp_path / "bare.pptx", keep={"Blank"}, names={"Blank": "Plain"},
                           example_slides=0)
    prs, report = build_deck(plan, ExportOptions(output="x.pptx", template=t))
    assert any("title placeholder" in n for n in report.template.notes)
    check_deck(prs, report)


def test_potx_template_is_accepted(tmp_path, plan):
    src = corporate_template(tmp_path / "c.pptx", example_slides=0)
    potx = tmp_path / "c.potx"
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(potx, "w") as w:
        for item in z.infolist():
            blob = z.read(item.filename)
            if item.filename == "[Content_Types].xml":
                blob = blob.replace(b"presentationml.presentation.main+xml",
                                    b"presentationml.template.main+xml")
            w.writestr(item, blob)
    prs, report = build_deck(plan, ExportOptions(output="x.pptx", template=potx))
    assert report.template.aspect == "4:3"
    check_deck(prs, report)


def test_deck_round_trips_through_python_pptx(tmp_path, plan):
    prs, report = build_deck(plan, ExportOptions(output="x.pptx"))
    buf = io.BytesIO()
    prs.save(buf)
    again = Presentation(io.BytesIO(buf.getvalue()))
    assert len(again.slides) == len(report.outline)


@pytest.mark.render
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_renders_one_page_per_slide(tmp_path, plan):
    for name, template in [("own", None), ("corporate", corporate_template(tmp_path / "t.pptx"))]:
        prs, report = build_deck(plan, ExportOptions(output="x.pptx", template=template))
        deck = tmp_path / f"{name}.pptx"
        prs.save(deck)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
                       check=True, capture_output=True, timeout=180)
        pdf = (tmp_path / f"{name}.pdf").read_bytes()
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert pages == len(report.outline), name


# ----- text never runs off: pagination of random tables ---------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

_CORPORATE: list[Path] = []


def _corporate() -> Path:
    """One 4:3 corporate template for every example (made on first use)."""
    if not _CORPORATE:
        import tempfile
        _CORPORATE.append(corporate_template(Path(tempfile.mkdtemp()) / "corp.pptx"))
    return _CORPORATE[0]


_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=14)


@settings(max_examples=25, deadline=None)
@given(rows=st.lists(st.lists(st.lists(_WORDS, min_size=0, max_size=40).map(" ".join),
                              min_size=3, max_size=3), min_size=0, max_size=60),
       wide=st.booleans())
def test_random_tables_stay_on_the_slide_and_keep_every_row(rows, wide):
    from reports.slide_tables import Col
    from reports.writer import DeckWriter
    prs, info = open_template(None if wide else _corporate())
    layouts = choose_layouts(prs, info)
    w = DeckWriter(prs, layouts, info, "status")
    slides = w.table_slides("Random", [Col("A", 1), Col("B", 3, max_lines=3), Col("C", 2)],
                            rows)
    got = 0
    for s in slides:
        for sh in s.shapes:
            assert sh.top + sh.height <= layouts.content_box.bottom + Inches(0.35)
            assert sh.left + sh.width <= prs.slide_width
            if sh.has_table:
                assert sh.top + sh.height <= layouts.content_box.bottom
                got += len(sh.table.rows) - 1
    assert got == len(rows)
    assert all(s.shapes.title.text_frame.text.startswith("Random") for s in slides)
