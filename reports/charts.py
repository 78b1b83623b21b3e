"""Outcome-measure slides: native, editable XmR (SPC) line charts in the Making Data Count style."""

from __future__ import annotations

from datetime import date

from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches, Pt

from planner import spc
from planner.dates import axis_date
from reports import chart_layout
from reports.facts import fmt_date
from reports.chart_data import LineChartData
from reports.template import Box
from reports.shape_xml import (add_shapes_xml, autoshape_xml, empty_runs_as_set, flat_xml,
                               run_text, set_alt_text, shape_body_xml,
                               text_body_xml, textbox_xml)
from reports.slide_text import INK, LINE_HEIGHT, MUTED, rgb, wrap_count
from reports.writer import DeckWriter
from planner.model import Measure, Plan

COMMON = "7F7F7F"  # grey: common cause
IMPROVEMENT = "289DE0"  # blue: special cause improvement
CONCERN = "E46C0A"  # orange: special cause concern (darker than MDC's for contrast on white)
TARGET = "DE1B1B"  # red dashed target line
TARGET_INK = "C0161A"  # the target's label: the same red, dark enough for small text
LIMIT = "7F7F7F"
MEAN = "212B32"

SERIES_VALUE = "Value"
SERIES_MEAN = "Mean"
SERIES_UPPER = "Upper process limit"
SERIES_LOWER = "Lower process limit"
SERIES_TARGET = "Target"
SERIES_IMPROVEMENT = "Special cause: improvement"
SERIES_CONCERN = "Special cause: concern"

VARIATION_FILL = {"common": ("E8EDEE", "212B32"), "improvement": (IMPROVEMENT, "FFFFFF"),
                  "concern": (CONCERN, "FFFFFF"), "neither": ("AEB7BD", "212B32"),
                  "run": ("E8EDEE", "212B32")}
ASSURANCE_FILL = {"pass": (IMPROVEMENT, "FFFFFF"), "fail": (CONCERN, "FFFFFF"),
                  "hit and miss": ("E8EDEE", "212B32"), None: ("FFFFFF", "425563")}


VARIATION_SHORT = {"common": "common cause", "improvement": "improvement",
                   "concern": "concern", "neither": "special cause",
                   "run": "run chart (cumulative)"}


def measure_chart(plan: Plan, m: Measure, fix_after: int | None = None,
                  rebase: list | tuple | None = None) -> spc.SpcResult:
    """The XmR chart of a measure's readings (its own SPC settings unless others are given)."""
    return spc.measure_xmr(plan, m, fix_after=fix_after, rebase=rebase)


def _label(d: object, span_days: int) -> str:
    if isinstance(d, date):
        return axis_date(d, "month" if span_days > 120 else "week")
    return str(d)


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 4)


def describe(m: Measure, r: spc.SpcResult, plan: Plan | None = None) -> str:
    """Alt text and speaker notes for one chart, in plain words (with ``plan``: its notes on
    readings too, so a note the chart had no room for is still told)."""
    if not r.points:
        return f"{m.name}: no readings yet."
    first, last = r.points[0], r.points[-1]
    span = f"{len(r.points)} readings"
    if isinstance(first.label, date):
        span += f" from {fmt_date(first.label)} to {fmt_date(last.label)}"
    text = f"SPC chart of {m.name} ({'higher' if m.direction == 'higher' else 'lower'} is better): {span}."
    if r.kind == "run":
        text = text.replace("SPC chart of", "Run chart of")
        text += (f" A cumulative measure, so no process limits: median "
                 f"{spc.with_unit(r.mean, m.unit)}."
                 if r.mean is not None else "")
    elif r.mean is not None:
        text += (f" Mean {spc.with_unit(r.mean, m.unit)}; process limits "
                 f"{spc.format_number(r.lower)} to {spc.format_number(r.upper)}.")
    text += f" Latest {spc.with_unit(last.value, m.unit)}: {spc.VARIATION_TEXT[r.variation].lower()}."
    imp, con = r.special_points("improvement"), r.special_points("concern")
    if imp or con:
        text += f" {len(imp)} point(s) signal improvement, {len(con)} concern."
    if m.target is not None:
        text += f" Target {spc.with_unit(m.target, m.unit)}: {spc.assurance_words(m, r).lower()}."
    if r.warning:
        text += f" Limits are provisional: {r.warning}."
    if plan is not None:
        notes = [f"{_when(r.points[i].label)}: {note}"
                 for i, note in reading_notes(plan, m, r, first=None)]
        if notes:
            text += f" Notes on readings: {'; '.join(notes)}."
    return text


def _when(d: object) -> str:
    return fmt_date(d) if isinstance(d, date) else str(d)


def header_text(m: Measure, r: spc.SpcResult) -> str:
    """The words beside a chart's icons; they agree with its points (the latest decides the
    variation, and earlier special-cause points are counted, not hidden)."""
    if r.kind == "run":
        return "Run chart (a running total): no limits, so no variation or assurance claim"
    if r.mean is None:
        return "Too few readings for process limits yet"
    vi = spc.variation_icon(r)
    text = f"Latest point: {vi.words}"
    if r.earlier_special and r.variation in ("common", "neither"):
        text += f"; {r.earlier_special} earlier point{'s' if r.earlier_special != 1 else ''} " \
                "special cause"
    if r.assurance is not None:
        text += f". {spc.assurance_words(m, r)}"
    return text


def so_what_text(m: Measure) -> str:
    """The "so what / action / by when" line kept with the measure in the plan."""
    if not (m.so_what or m.next_action):
        return "So what / action / by when: not written yet (add it to the measure in the plan)."
    parts = [f"So what: {m.so_what}" if m.so_what else "",
             f"Action: {m.next_action}" if m.next_action else "",
             f"By: {fmt_date(m.action_by)}" if m.action_by else ""]
    return " · ".join(p for p in parts if p)


def draw_icon(slide, left: int, top: int, size: int, icon: spc.Icon, name: str):
    """A Making Data Count style icon drawn as a native shape: a filled circle with its mark,
    its words as alt text (written as the XML python-pptx's calls make, issue 13)."""
    sid = slide.shapes._next_shape_id
    [el] = add_shapes_xml(slide.shapes, [autoshape_xml(
        sid, name, "ellipse", left, top, size, size, flat_xml(icon.colour),
        shape_body_xml([icon.mark], max(7, int(size / 12700 * 0.5)), "FFFFFF", margin_x=0,
                       margin_y=0, align="center", anchor="middle", bold=True, wrap=False),
        descr=icon.words)])
    if not icon.mark:
        empty_runs_as_set(el)
    return slide.shapes._shape_factory(el)


def chart_title(m: Measure) -> str:
    return f"{m.id} {m.name}" + (f" ({m.unit})" if m.unit else "")


def line_texts(m: Measure, r: spc.SpcResult) -> list[tuple[str, str, float, str]]:
    """The lines labelled beside a chart, ``(name, words, value, colour)``: the target, the
    latest period's mean (a run chart's median) and process limits, their figures written as
    the Outcomes view writes them (``planner.spc.format_number``)."""
    out = []
    if m.target is not None:
        out.append(("Target", f"Target {spc.format_number(m.target)}", m.target, TARGET_INK))
    if r.mean is not None:
        centre = "Median" if r.kind == "run" else "Mean"
        out.append((centre, f"{centre} {spc.format_number(r.mean)}", r.mean, MEAN))
    if r.kind != "run" and r.upper is not None and r.lower is not None:
        out.append(("Upper limit", f"Upper limit {spc.format_number(r.upper)}", r.upper, MUTED))
        out.append(("Lower limit", f"Lower limit {spc.format_number(r.lower)}", r.lower, MUTED))
    return out


def reading_notes(plan: Plan, m: Measure, r: spc.SpcResult,
                  first: int | None = 4) -> list[tuple[int, str]]:
    """Notes of known changes on readings, ``(point index, note)``: the ``first`` few (the
    chart labels four at most), or all."""
    notes = [(i, rd.note) for i, rd in enumerate(plan.readings_of(m.id)) if rd.note]
    for i, _ in notes:
        if not 0 <= i < len(r.points):
            raise IndexError("point index out of range")
    return notes[:first]


def chart_geometry(plan: Plan, m: Measure, r: spc.SpcResult,
                   frame: Box) -> chart_layout.ChartGeometry:
    """Where the chart of ``m`` in ``frame`` puts its plot, and its labels of lines and notes
    (reports/chart_layout.py)."""
    series = chart_series(plan, m, r)
    values = [v for _name, vals in series for v in vals if v is not None]
    labels = line_texts(m, r)
    rect = chart_layout.Rect(frame.left, frame.top, frame.right, frame.bottom)
    geo = chart_layout.layout(rect, _categories(r), values,
                              min(p.value for p in r.points) >= 0, chart_title(m),
                              [text for _n, text, _v, _c in labels])
    lines = chart_layout.line_labels(geo, labels)
    notes = chart_layout.note_labels(
        geo, reading_notes(plan, m, r), [_drawn(name, vals) for name, vals in series],
        [lb.rect for lb in lines], MUTED)
    geo.labels += lines + notes
    return geo


def add_measure(w: DeckWriter, slide, box: Box, plan: Plan, m: Measure,
                fix_after: int | None = None, rebase=None) -> spc.SpcResult:
    """Draw one measure in ``box``: labels for variation and assurance, then the chart with its
    lines and notes labelled beside it."""
    r = measure_chart(plan, m, fix_after, rebase)
    label_h = Inches(0.42)  # two lines of the header beside the icons
    gap = Inches(0.06)
    icon = Inches(0.32)
    vi, ai = spc.variation_icon(r), spc.assurance_icon(r)
    draw_icon(slide, box.left, box.top + (label_h - icon) // 2, icon, vi,
              f"Variation icon {m.id}")
    draw_icon(slide, box.left + icon + Inches(0.05), box.top + (label_h - icon) // 2, icon, ai,
              f"Assurance icon {m.id}")
    text_left = box.left + 2 * icon + Inches(0.12)
    w.textbox(slide, Box(text_left, box.top, box.left + box.width - text_left, label_h),
              header_text(m, r), 8, bold=True, anchor="middle", name=f"Variation label {m.id}",
              max_lines=2)
    line_h = Inches(0.42)  # two lines of "so what / action / by when"
    chart_box = Box(box.left, box.top + label_h + gap, box.width,
                    box.height - label_h - gap - line_h)
    w.textbox(slide, Box(box.left, box.top + box.height - line_h, box.width, line_h),
              so_what_text(m), 8, ink=INK if m.so_what else MUTED, name=f"So what {m.id}",
              max_lines=2)
    if not r.points:
        w.textbox(slide, chart_box, f"{chart_title(m)}\nNo readings yet.", 12, ink=MUTED,
                  name=f"No readings {m.id}")
        return r
    geo = chart_geometry(plan, m, r, chart_box)
    cd = spc_chart_data(plan, m, r, geometry=geo)
    gf = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, chart_box.left, chart_box.top,
                                chart_box.width, chart_box.height, cd)
    gf.name = f"SPC chart {m.id}"
    set_alt_text(gf, describe(m, r, plan))
    _labels(slide, m, geo.labels)
    return r


def _labels(slide, m: Measure, labels: list[chart_layout.Label]) -> None:
    """The chart's labels as text boxes of a fixed size: no margins, no wrapping, no growing,
    so the words stay where the layout put them."""
    parts = []
    sid = slide.shapes._next_shape_id
    for k, lb in enumerate(labels):
        rpr = (f'<a:rPr sz="{Pt(lb.pt).centipoints}"><a:solidFill>'
               f'<a:srgbClr val="{rgb(lb.colour)}"/></a:solidFill></a:rPr>')
        algn = "l" if lb.kind == "line" else "ctr"
        body = ('<a:bodyPr wrap="none" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr">'
                "<a:noAutofit/></a:bodyPr><a:lstStyle/>"
                + "".join(f'<a:p><a:pPr algn="{algn}"/><a:r>{rpr}<a:t>{run_text(t)}</a:t>'
                          "</a:r></a:p>" for t in lb.lines))
        kind = {"note": "Note", "line": "Line label", "date": "Date label"}[lb.kind]
        rc = lb.rect
        parts.append(textbox_xml(sid + k, f"{kind} {m.id} {lb.name}", int(rc.left), int(rc.top),
                                 int(rc.width), int(rc.height), body))
    add_shapes_xml(slide.shapes, parts)


def _categories(r: spc.SpcResult) -> list[str]:
    labels = [p.label for p in r.points]
    dates = [d for d in labels if isinstance(d, date)]
    span = (dates[-1] - dates[0]).days if len(dates) > 1 else 0
    return [_label(d, span) for d in labels]


def chart_series(plan: Plan, m: Measure, r: spc.SpcResult) -> list[tuple[str, list]]:
    """The chart's series in the order written: the readings, the mean (a run chart's median),
    the process limits, the target, the special-cause points."""
    n = len(r.points)
    out = [(SERIES_VALUE, [_r(p.value) for p in r.points])]
    if r.mean is not None:
        out.append((SERIES_MEAN, [_r(p.mean) for p in r.points]))
    if r.mean is not None and r.kind != "run":
        out.append((SERIES_UPPER, [_r(p.upper) for p in r.points]))
        out.append((SERIES_LOWER, [_r(p.lower) for p in r.points]))
    if m.target is not None:
        out.append((SERIES_TARGET, [_r(m.target)] * n))
    imp = [_r(p.value) if p.special == "improvement" else None for p in r.points]
    con = [_r(p.value) if p.special == "concern" else None for p in r.points]
    if any(v is not None for v in imp):
        out.append((SERIES_IMPROVEMENT, imp))
    if any(v is not None for v in con):
        out.append((SERIES_CONCERN, con))
    return out


# how each series is drawn: (line colour or None, line width pt, dash, marker size pt, colour)
_DRAWN = {SERIES_VALUE: (COMMON, 1.5, None, 5, COMMON), SERIES_MEAN: (MEAN, 1.25, None, 0, None),
          SERIES_UPPER: (LIMIT, 1, "dash", 0, None), SERIES_LOWER: (LIMIT, 1, "dash", 0, None),
          SERIES_TARGET: (TARGET, 1.25, "lgDash", 0, None),
          SERIES_IMPROVEMENT: (None, 0, None, 8, IMPROVEMENT),
          SERIES_CONCERN: (None, 0, None, 8, CONCERN)}


def _drawn(name: str, values: list) -> chart_layout.Series:
    colour, width, _dash, marker, _mc = _DRAWN[name]
    return chart_layout.Series(values, colour is not None, marker, width)


def spc_chart_data(plan: Plan, m: Measure, r: spc.SpcResult, styled: bool = True,
                   geometry: chart_layout.ChartGeometry | None = None) -> LineChartData:
    """The chart's categories and series (value, mean, limits, target, special-cause points)
    and, when ``styled``, how it is drawn: title, one line style and marker per series, no
    legend (one key per slide instead: seven legend entries crowd the plot) and no gridlines,
    small axis labels; with a ``geometry``, the plot area's place, the title's, and the value
    axis's range and step (the labels of dates, lines and notes are text boxes beside the
    chart, placed by the same geometry: LibreOffice neither skips category labels nor keeps
    them on one line). All of it goes into
    the chart XML in one go (issue 13; tests/reports/test_chart_data.py compares it with
    python-pptx's chart calls)."""
    cd = LineChartData(_categories(r))
    for name, values in chart_series(plan, m, r):
        cd.add_series(name, values, _series_style(name) if styled else "")
    if styled:
        cd.title = geometry.title if geometry else chart_title(m)
        cd.title_run_pr = f'<a:rPr sz="{Pt(chart_layout.TITLE_PT).centipoints}" b="1"/>'
        cd.legend = cd.value_gridlines = False
        cd.category_font_pt, cd.value_font_pt = chart_layout.CATEGORY_PT, chart_layout.TICK_PT
        if geometry is not None:
            g = geometry
            cd.value_scale = (g.lo, g.hi)
            cd.value_major = g.major
            cd.plot_layout = g.fractions()
            cd.title_at = ((g.title_left - g.frame.left) / g.frame.width, 0.0)
            cd.category_labels = False  # written beside the chart, as the layout placed them
    return cd


def _line(colour: str | None, width: int | None = None, dash: str | None = None) -> str:
    """A series' ``<c:spPr>``: its line's colour, width and dash (no colour: no line)."""
    if colour is None:
        return "<c:spPr><a:ln><a:noFill/></a:ln></c:spPr>"
    d = f'<a:prstDash val="{dash}"/>' if dash else ""
    return (f'<c:spPr><a:ln w="{int(width)}"><a:solidFill><a:srgbClr val="{rgb(colour)}"/>'
            f"</a:solidFill>{d}</a:ln></c:spPr>")


def _marker_xml(size: int | None = None, colour: str | None = None) -> str:
    """A circle marker of ``size`` filled and outlined in ``colour``; no size: no marker."""
    if size is None:
        return '<c:marker><c:symbol val="none"/></c:marker>'
    fill = f'<a:solidFill><a:srgbClr val="{rgb(colour)}"/></a:solidFill>'
    return (f'<c:marker><c:symbol val="circle"/><c:size val="{size}"/><c:spPr>{fill}'
            f"<a:ln>{fill}</a:ln></c:spPr></c:marker>")


def _series_style(name: str) -> str:
    """A series' line and marker, as the XML python-pptx's line and marker calls write."""
    colour, width, dash, marker, marker_colour = _DRAWN[name]
    return _line(colour, Pt(width) if colour else None, dash) + \
        (_marker_xml(marker, marker_colour) if marker else _marker_xml())


KEY = [("Measure", COMMON), ("Mean", MEAN), ("Process limits (dashed)", LIMIT),
       ("Target (dashed)", TARGET), ("Special cause: improvement", IMPROVEMENT),
       ("Special cause: concern", CONCERN)]


def _key(w: DeckWriter, slide, box: Box) -> None:
    """One colour key for the charts on a slide, in words as well as colours (written as the
    XML python-pptx's text box, runs and fonts make, in one go; issue 13)."""
    def run(text: str, colour: str, bold: bool) -> str:
        b = ' b="1"' if bold else ""
        return (f'<a:r><a:rPr sz="{Pt(10).centipoints}"{b}><a:solidFill>'
                f'<a:srgbClr val="{rgb(colour)}"/></a:solidFill></a:rPr><a:t>{run_text(text)}</a:t></a:r>')

    runs = [run("Key: ", MUTED, True)]
    for i, (text, colour) in enumerate(KEY):
        runs.append(run("● " if "cause" in text or text == "Measure" else "— ", colour, True))
        runs.append(run(text + ("   " if i < len(KEY) - 1 else ""), MUTED, False))
    body = text_body_xml([], 10, MUTED, margin_x=0, margin_y=0, align=None, anchor=None)
    add_shapes_xml(slide.shapes, [textbox_xml(slide.shapes._next_shape_id, "Chart key", box.left,
                                              box.top, box.width, box.height,
                                              body + f"<a:p>{''.join(runs)}</a:p>")])


def measure_slides(w: DeckWriter, plan: Plan, measures: list[Measure], per_slide: int | None = None,
                   title: str = "Outcome measures", fix_after: int | None = None,
                   rebase: dict | None = None) -> list:
    """Measures a few per slide (2 x 2 on wide slides, 2 stacked on 4:3), with notes."""
    b = w.box
    wide = w.info.slide_width / w.info.slide_height > 1.5
    cols = 2 if wide else 1
    rows = 2
    per_slide = per_slide or cols * rows
    slides = []
    pages = [measures[i:i + per_slide] for i in range(0, len(measures), per_slide)] or [[]]
    gap = Inches(0.2)
    key_h = Inches(0.45) if not wide else Inches(0.28)
    top = b.top + key_h
    cell_w = (b.width - gap * (cols - 1)) // cols
    cell_h = (b.height - key_h - gap * (rows - 1)) // rows
    for k, page in enumerate(pages):
        t = title if k == 0 else f"{title} (continued)"
        notes_lines = ["How to read these charts: the grey line is the measure; the solid line is "
                       "its mean; dashed grey lines are the process limits; the red dashed line is "
                       "the target. Blue points signal improvement and orange points concern "
                       "(special cause variation)."]
        s = w.slide(t, "chart")
        _key(w, s, Box(b.left, b.top, b.width, key_h - Inches(0.04)))
        if not page:
            w.textbox(s, Box(b.left, b.top, b.width, Inches(0.6)),
                      "No outcome measures are recorded in the plan yet.", 14, ink=MUTED)
        for i, m in enumerate(page):
            cx = b.left + (i % cols) * (cell_w + gap)
            cy = top + (i // cols) * (cell_h + gap)
            r = add_measure(w, s, Box(cx, cy, cell_w, cell_h), plan, m, fix_after,
                            (rebase or {}).get(m.id))
            notes_lines.append(describe(m, r, plan))
        w.notes(s, "\n\n".join(notes_lines))
        slides.append(s)
    return slides


SUMMARY_TITLE = "Outcome measures at a glance"


def summary_slides(w: DeckWriter, plan: Plan, measures: list[Measure]) -> list:
    """One line per measure: ID and name, latest, target and trajectory, variation and
    assurance icons (native shapes, with their words in the alt text and notes). Figures carry
    their unit as the Outcomes view writes them (``planner.spc.with_unit``), however long; a row
    is made as tall as its longest cell needs, never cut."""
    b = w.box
    row_h = Inches(0.44)
    head_h = Inches(0.34)
    size = 9
    pitch = size * LINE_HEIGHT * 12700
    margin = Inches(0.05)  # the text box's own side margin (DeckWriter.textbox)
    cols = [("Measure", 0.32), ("Latest", 0.16), ("Target and trajectory", 0.30),
            ("Variation", 0.11), ("Assurance", 0.11)]
    # one size for every header, the largest at which each fits its column on one line with a
    # tenth to spare for a wider font (11 pt cut "Variati…" and "Assuran…" on a 4:3 slide)
    head_pt = next((pt for pt in (11, 10, 9, 8) if all(
        wrap_count(label, int((b.width * share - Inches(0.1)) * 0.9), pt) == 1
        for label, share in cols)), 8)
    widths = [int(b.width * share) for _label, share in cols]
    rows = []
    for m in measures:
        r = measure_chart(plan, m)
        latest = (spc.with_unit(r.latest.value, m.unit) + (f"\n{fmt_date(r.latest.label)}"
                  if isinstance(r.latest.label, date) else "")) if r.latest else "—"
        if m.target is None:
            target = "No target set"
        else:
            target = spc.with_unit(m.target, m.unit) + (
                f" by {fmt_date(m.target_date)}" if m.target_date else "")
            if r.target is not None and abs(r.target - m.target) > 1e-9:
                target += f"\n{spc.with_unit(r.target, m.unit)} by now (trajectory)"
        cells = [f"{m.id} {m.name}", latest, target]
        lines = max(wrap_count(text, cw - 2 * margin, size) for text, cw in zip(cells, widths))
        height = max(row_h, int(Inches(0.14) + lines * pitch))
        rows.append((m, r, cells, lines, height))
    pages: list[list] = [[]]
    used = head_h
    for row in rows:
        if pages[-1] and used + row[4] > b.height:
            pages.append([])
            used = head_h
        pages[-1].append(row)
        used += row[4]
    slides = []
    for k, page in enumerate(pages):
        s = w.slide(SUMMARY_TITLE if k == 0 else f"{SUMMARY_TITLE} (continued)", "table")
        x = b.left
        lefts = []
        for (label, _share), width in zip(cols, widths):
            lefts.append((x, width))
            w.textbox(s, Box(x, b.top, width, head_h), label, head_pt, bold=True, fill="E8EDEE",
                      anchor="middle", name=f"Header {label}", max_lines=1)
            x += width
        notes = ["Each measure's latest reading, where it should be by now on the way to its "
                 "target (its trajectory), and the Making Data Count icons: variation (grey ~ "
                 "common cause; blue H or L improvement; orange H or L concern) and assurance "
                 "(P consistently meets, F consistently misses, ? hit and miss)."]
        y = b.top + head_h
        for i, (m, r, cells, lines, height) in enumerate(page):
            fill = "FFFFFF" if i % 2 == 0 else "F5F7F8"
            for (cx, cw), text in zip(lefts[:3], cells):
                w.textbox(s, Box(cx, y, cw, height), text, size, fill=fill, anchor="middle",
                          name=f"Cell {m.id}", max_lines=lines, margin=margin)
            icon = Inches(0.32)
            vi, ai = spc.variation_icon(r), spc.assurance_icon(r)
            for (cx, cw), ic, what in ((lefts[3], vi, "Variation"), (lefts[4], ai, "Assurance")):
                w.textbox(s, Box(cx, y, cw, height), "", 8, fill=fill, name=f"Cell {m.id}")
                draw_icon(s, cx + (cw - icon) // 2, y + (height - icon) // 2, icon, ic,
                          f"{what} icon {m.id}")
            latest, target = cells[1], cells[2]
            notes.append(f"{m.id} {m.name}: latest {latest.splitlines()[0]}; "
                         f"{target.replace(chr(10), '; ')}; variation: {vi.words}; "
                         f"assurance: {ai.words}.")
            y += height
        w.notes(s, "\n".join(notes))
        slides.append(s)
    return slides
