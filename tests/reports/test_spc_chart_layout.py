"""The SPC chart slides read back as geometry: every label (a line's name and figure, a note on a
reading, a date) is clear of every drawn line and marker, of the plot's edges and of every other
label, and says the figures the Outcomes view says.

Where a line falls is worked out here from the chart itself, as a renderer does it: the plot
area's place in the chart frame (its manualLayout), the value axis's minimum and maximum, and a
line chart's rule that category i of n sits in the middle of its slot and consecutive points are
joined by straight lines. LibreOffice put the old charts' data labels on the limit lines.
"""

from __future__ import annotations

import random

import pytest

from planner import spc
from planner.model import Plan
from reports import ExportOptions, build_deck
from tests.reports.test_deck_layout import box, overlap, sample_plan

PT = 12700
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
LABEL_KINDS = ("Line label ", "Note ", "Date label ")
TOL = 200  # EMU: the plot's place is written to a millionth of the frame, shapes in whole EMU


def crowded_plan(tmp_path) -> Plan:
    """The sample with a note on four readings of every measure (the first, the last, the
    highest and a random one: points at the plot's edges and on the limits), long notes among
    them, and every target on its measure's latest mean, so that labels compete for room."""
    plan = sample_plan(tmp_path)
    rng = random.Random(3)
    for m in plan.measures.values():
        readings = plan.readings_of(m.id)
        if not readings:
            continue
        for rd in readings:
            rd.note = ""
        picks = {0, len(readings) - 1, max(range(len(readings)), key=lambda i: readings[i].value),
                 rng.randrange(len(readings))}
        for k, i in enumerate(sorted(picks)):
            readings[i].note = ["Pilot", "New form in the record", "Roll-out to every team began",
                                "Change"][k % 4]
        r = spc.measure_xmr(plan, m)
        if r.mean is not None:
            m.target = round(r.mean, 2)
    return plan


def grown(r, d):
    return r[0] - d, r[1] - d, r[2] + d, r[3] + d


def crosses(r, x1, y1, x2, y2) -> bool:
    """The segment passes through the rectangle's inside (sampled finely)."""
    steps = max(2, int(max(abs(x2 - x1), abs(y2 - y1)) / (PT / 4)))
    for k in range(steps + 1):
        x, y = x1 + (x2 - x1) * k / steps, y1 + (y2 - y1) * k / steps
        if r[0] < x < r[2] and r[1] < y < r[3]:
            return True
    return False


class Drawn:
    """One SPC chart as a renderer draws it: its plot rectangle, every line segment (with its
    half width) and marker, from the chart part alone."""

    def __init__(self, gf):
        self.gf = gf
        cs = gf.chart._chartSpace
        ml = cs.find(f".//{C}plotArea/{C}layout/{C}manualLayout")
        assert ml is not None, f"{gf.name}: the plot's place is left to the renderer"
        assert ml.find(f"{C}layoutTarget").get("val") == "inner"
        f = {k: float(ml.find(f"{C}{k}").get("val")) for k in "xywh"}
        L, T, W, H = gf.left, gf.top, gf.width, gf.height
        self.frame = (L, T, L + W, T + H)
        self.plot = (L + f["x"] * W, T + f["y"] * H, L + (f["x"] + f["w"]) * W,
                     T + (f["y"] + f["h"]) * H)
        scaling = cs.find(f".//{C}valAx/{C}scaling")
        self.lo = float(scaling.find(f"{C}min").get("val"))
        self.hi = float(scaling.find(f"{C}max").get("val"))
        plot = gf.chart.plots[0]
        self.n = len(plot.categories)
        self.series = {s.name: list(s.values) for s in plot.series}
        self.segments, self.markers = [], []
        for ser in cs.findall(f".//{C}ser"):
            name = ser.find(f"{C}tx//{C}v").text
            ln = ser.find(f"{C}spPr/{A}ln")
            line = ln is not None and ln.find(f"{A}noFill") is None
            half = int(ln.get("w", 12700)) / 2 if line else 0
            size = ser.find(f"{C}marker/{C}size")
            r = int(size.get("val")) * PT / 2 if size is not None else 0
            prev = None
            for i, v in enumerate(self.series[name]):
                if v is None:
                    prev = None
                    continue
                p = (self.x(i), self.y(v))
                if line and prev:
                    self.segments.append((prev, p, half, name))
                if r:
                    self.markers.append(((p[0] - r, p[1] - r, p[0] + r, p[1] + r), name))
                prev = p

    def x(self, i: float) -> float:
        return self.plot[0] + (i + 0.5) * (self.plot[2] - self.plot[0]) / self.n

    def y(self, v: float) -> float:
        return self.plot[3] - (v - self.lo) / (self.hi - self.lo) * (self.plot[3] - self.plot[1])


def spc_charts(plan: Plan):
    """(chart, its labels by kind) for every SPC chart of the deck made from ``plan``."""
    prs, _ = build_deck(plan, ExportOptions(output="unused.pptx"))
    out = []
    for s in prs.slides:
        if not s.shapes.title.text_frame.text.startswith("Outcome measures (SPC"):
            continue
        for gf in (sh for sh in s.shapes if sh.has_chart):
            mid = gf.name.rsplit(" ", 1)[1]
            labels = {kind: [sh for sh in s.shapes if sh.name.startswith(f"{kind}{mid} ")]
                      for kind in LABEL_KINDS}
            out.append((Drawn(gf), labels, s))
    assert len(out) >= 10
    return out


def text_of(sh) -> str:
    return sh.text_frame.text


def problems(drawn: Drawn, labels: dict) -> list[str]:
    """Every way a label of this chart touches something it must not."""
    out = []
    clear = 1 * PT
    every = [(sh, box(sh)) for kind in LABEL_KINDS for sh in labels[kind]]
    for i, (a, ra) in enumerate(every):
        if not (drawn.frame[0] <= ra[0] and ra[2] <= drawn.frame[2] + 2 * PT
                and drawn.frame[1] <= ra[1] and ra[3] <= drawn.frame[3]):
            out.append(f"{a.name} ({text_of(a)!r}) leaves the chart's frame")
        for b, rb in every[i + 1:]:
            if overlap(ra, rb):
                out.append(f"{a.name} ({text_of(a)!r}) overlaps {b.name} ({text_of(b)!r})")
        for (p, q, half, name) in drawn.segments:
            if crosses(grown(ra, half + clear / 2), *p, *q):
                out.append(f"{a.name} ({text_of(a)!r}) lies on the {name} line")
                break
        for mr, name in drawn.markers:
            if overlap(grown(ra, clear / 2), mr):
                out.append(f"{a.name} ({text_of(a)!r}) covers a {name} marker")
                break
    plot = drawn.plot
    for sh in labels["Note "]:  # notes: inside the plot, off its edges
        r = box(sh)
        if not (plot[0] < r[0] and r[2] < plot[2] and plot[1] < r[1] and r[3] < plot[3]):
            out.append(f"{sh.name} ({text_of(sh)!r}) is not inside the plot, clear of its edges")
    for sh in labels["Line label "]:  # beside the plot's right edge, level with the plot
        r = box(sh)
        if not (r[0] > plot[2] and r[1] >= plot[1] - sh.height and r[3] <= plot[3] + TOL):
            out.append(f"{sh.name} ({text_of(sh)!r}) is not in the column right of the plot")
    for sh in labels["Date label "]:  # under the plot, within its width
        r = box(sh)
        if not (r[1] > plot[3] and plot[0] - TOL <= r[0] and r[2] <= plot[2] + TOL):
            out.append(f"{sh.name} ({text_of(sh)!r}) is not under the plot")
    return out


@pytest.mark.parametrize("make", ["sample", "crowded"])
def test_no_chart_label_touches_a_line_a_marker_an_edge_or_another_label(make, tmp_path):
    plan = {"sample": sample_plan, "crowded": crowded_plan}[make](tmp_path)
    charts = spc_charts(plan)
    found = [p for drawn, labels, _s in charts for p in problems(drawn, labels)]
    assert found == []
    # the labels are there: every line labelled, dates under every chart, notes on the plot
    assert all(labels["Date label "] and labels["Line label "] for _d, labels, _s in charts)
    notes = sum(len(labels["Note "]) for _d, labels, _s in charts)
    assert notes >= (3 if make == "sample" else 30)


def test_each_line_label_sits_by_its_line_and_gives_the_outcomes_view_s_figure(tmp_path):
    """'Mean 31.05' beside the mean line, as the Outcomes view writes 'mean 31.05'; the
    process limits and the target likewise (one rule for a number: planner.spc)."""
    from ui.outcomes_view import measure_chart as outcomes_chart

    plan = sample_plan(tmp_path)
    checked = 0
    for drawn, labels, _s in spc_charts(plan):
        mid = drawn.gf.name.rsplit(" ", 1)[1]
        m = plan.measures[mid]
        r = spc.measure_xmr(plan, m)
        view_lines = {ln.label for ln in outcomes_chart(plan, m)[0].lines if ln.label}
        by_name = {sh.name.split(" ", 3)[3]: sh for sh in labels["Line label "]}
        want = {"Target": m.target, "Mean": r.mean, "Median": r.mean,
                "Upper limit": r.upper, "Lower limit": r.lower}
        for name, sh in by_name.items():
            value = want[name]
            assert text_of(sh) == f"{name} {spc.format_number(value)}"
            if name in ("Mean", "Median", "Target"):
                assert text_of(sh).lower() in view_lines, (mid, text_of(sh), view_lines)
            # beside its line: within a few label heights of it
            assert abs(sh.top + sh.height / 2 - drawn.y(value)) <= 3 * sh.height, (mid, name)
            checked += 1
        # and in the lines' order, top to bottom (ties either way)
        order = sorted(by_name, key=lambda n: by_name[n].top)
        ys = [drawn.y(want[n]) for n in order]
        assert all(a <= b + 1 for a, b in zip(ys, ys[1:])), (mid, order)
    assert checked >= 40


def test_a_note_the_chart_has_no_room_for_is_still_told(tmp_path):
    """Every note on a reading is on its chart or, failing room, in the chart's alt text."""
    plan = crowded_plan(tmp_path)
    for drawn, labels, _s in spc_charts(plan):
        mid = drawn.gf.name.rsplit(" ", 1)[1]
        alt = drawn.gf._element.xpath(".//p:cNvPr")[0].get("descr")
        shown = " ".join(text_of(sh).replace("\n", " ") for sh in labels["Note "])
        for rd in plan.readings_of(mid)[:]:
            if rd.note:
                assert rd.note in alt or rd.note in shown or rd.note[:10] in shown, (mid, rd.note)


def test_the_at_a_glance_trajectory_is_the_chart_header_s_figure(doc):
    """OM1's trajectory read '35.1 by now' in the at-a-glance table beside '35.12 by now' over
    its chart; both say the Outcomes view's 35.12."""
    prs, _ = build_deck(doc.plan, ExportOptions(output="unused.pptx"))
    cells = {sh.name: sh.text_frame.text for s in prs.slides
             if s.shapes.title.text_frame.text.startswith("Outcome measures at a glance")
             for sh in s.shapes if sh.name.startswith("Cell OM")}
    headers = {sh.name.split()[-1]: sh.text_frame.text for s in prs.slides
               for sh in s.shapes if sh.name.startswith("Variation label OM")}
    checked = 0
    for s in prs.slides:
        for sh in s.shapes:
            if not (sh.name.startswith("Cell OM") and "by now (trajectory)" in sh.text_frame.text):
                continue
            mid = sh.name.split()[-1]
            figure = sh.text_frame.text.splitlines()[1].split(" by now")[0].rstrip("%").split()[0]
            if "by now)" in headers.get(mid, ""):
                assert f"({figure} by now)" in headers[mid], (mid, figure, headers[mid])
                checked += 1
    assert cells and checked >= 5
