"""Open a slide template (the product's own or an organisation's) and pick layouts by what they hold.

Layouts are chosen by the placeholders they carry, never by position or name alone, because
organisations rename, reorder and delete layouts. Every choice and every fallback is recorded so
the user can be told what was used.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Inches

from planner.archive import UnsafeArchive, check_archive
from planner.errors import PlanError

PRODUCT_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "board.pptx"

TITLE_TYPES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE}
BODY_TYPES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}
FURNITURE = {PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER,
             PP_PLACEHOLDER.HEADER}

_TEMPLATE_CT = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_PRESENTATION_CT = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


class TemplateError(PlanError):
    """The chosen slide template cannot be used; nothing was written."""


@dataclass
class Box:
    """A rectangle on the slide in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass
class TemplateInfo:
    """What was taken from a template: which layout plays each role, the content area, fallbacks."""

    path: str
    own: bool
    slide_width: int
    slide_height: int
    layouts: dict[str, str] = field(default_factory=dict)  # role -> layout name
    notes: list[str] = field(default_factory=list)  # fallbacks, in plain words
    removed_slides: int = 0

    @property
    def aspect(self) -> str:
        ratio = self.slide_width / self.slide_height
        if abs(ratio - 16 / 9) < 0.02:
            return "16:9"
        if abs(ratio - 4 / 3) < 0.02:
            return "4:3"
        if abs(ratio - 16 / 10) < 0.02:
            return "16:10"
        return f"{ratio:.2f}:1"

    def describe(self) -> list[str]:
        """Lines for the user: the template, its shape and the layouts used."""
        kind = "the product's own board template" if self.own else "your organisation's template"
        lines = [f"Template: {self.path} ({kind}, {self.aspect})"]
        for role, name in self.layouts.items():
            lines.append(f"  {role} slides use layout '{name}'")
        if self.removed_slides:
            lines.append(f"  {self.removed_slides} example slide(s) in the template were left out")
        lines += ["  " + n for n in self.notes]
        return lines


def _ph_types(layout) -> list:
    out = []
    for ph in layout.placeholders:
        try:
            out.append(ph.placeholder_format.type)
        except Exception:  # a malformed placeholder: ignore it
            continue
    return out


def _has_title(types) -> bool:
    return any(t in TITLE_TYPES for t in types)


def _bodies(types) -> int:
    return sum(1 for t in types if t in BODY_TYPES)


def _others(types) -> int:
    return sum(1 for t in types if t not in TITLE_TYPES and t not in BODY_TYPES and t not in FURNITURE)


def open_template(path: str | Path | None) -> tuple[object, TemplateInfo]:
    """Open ``path`` (or the product template) as a Presentation with no slides, and read it.

    Raises :class:`TemplateError` with a plain message for a missing file, a file that is not a
    PowerPoint presentation, or one with no slide layouts.
    """
    own = path is None
    p = Path(path) if path is not None else PRODUCT_TEMPLATE
    if not p.exists():
        raise TemplateError(f"The slide template '{p}' was not found.")
    if p.is_dir():
        raise TemplateError(f"The slide template '{p}' is a folder, not a PowerPoint file.")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise TemplateError(f"The slide template '{p}' could not be read: {e.strerror or e}.") from e
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateError(
            f"'{p.name}' is not a PowerPoint (.pptx) file, so it cannot be used as a slide "
            "template. Open it in PowerPoint and save it as a .pptx presentation, or leave the "
            "template empty to use the product's own.")
    try:
        check_archive(io.BytesIO(data))  # no XML entities, no zip bomb (issue 9)
    except UnsafeArchive as e:
        raise TemplateError(f"'{p.name}' cannot be used as a slide template: {e}.") from None
    data = _template_as_presentation(data)
    try:
        prs = Presentation(io.BytesIO(data))
    except Exception as e:  # python-pptx raises several kinds for a damaged or foreign package
        raise TemplateError(
            f"'{p.name}' could not be opened as a PowerPoint presentation ({type(e).__name__}). "
            "It may be damaged, password-protected, or another kind of Office file.") from e
    if len(prs.slide_layouts) == 0:
        raise TemplateError(f"'{p.name}' has no slide layouts, so it cannot be used as a template.")
    info = TemplateInfo(str(p), own, int(prs.slide_width or Inches(10)),
                        int(prs.slide_height or Inches(7.5)))
    info.removed_slides = _remove_all_slides(prs)
    return prs, info


def _template_as_presentation(data: bytes) -> bytes:
    """A .potx is a .pptx with another content type: relabel it so python-pptx will open it."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        try:
            ct = z.read("[Content_Types].xml")
        except KeyError:
            return data
        if _TEMPLATE_CT not in ct:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
            for item in z.infolist():
                blob = z.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    blob = blob.replace(_TEMPLATE_CT, _PRESENTATION_CT)
                w.writestr(item, blob)
        return out.getvalue()


def _remove_all_slides(prs) -> int:
    """Drop any example slides an organisation's template carries; returns how many."""
    ids = prs.slides._sldIdLst
    n = 0
    for sld_id in list(ids):
        prs.part.drop_rel(sld_id.rId)
        ids.remove(sld_id)
        n += 1
    return n


@dataclass
class Layouts:
    """The layouts chosen for each kind of slide, and the content area they leave free."""

    cover: object
    title_only: object
    content: object
    content_box: Box
    body_box: Box
    title_only_has_title: bool
    content_has_body: bool


def choose_layouts(prs, info: TemplateInfo) -> Layouts:
    """Pick the cover, title-only and title-and-content layouts; record choices and fallbacks."""
    layouts = list(prs.slide_layouts)
    typed = [(lo, _ph_types(lo)) for lo in layouts]

    def name(lo) -> str:
        return lo.name or "(unnamed layout)"

    # Title-only: a title and nothing else that holds content.
    title_only = [lo for lo, t in typed if _has_title(t) and _bodies(t) == 0 and _others(t) == 0
                  and PP_PLACEHOLDER.CENTER_TITLE not in t]
    content = [lo for lo, t in typed if _has_title(t) and _bodies(t) == 1 and _others(t) == 0
               and PP_PLACEHOLDER.CENTER_TITLE not in t and PP_PLACEHOLDER.VERTICAL_TITLE not in t]
    cover = [lo for lo, t in typed if PP_PLACEHOLDER.CENTER_TITLE in t]
    any_title = [lo for lo, t in typed if _has_title(t) and PP_PLACEHOLDER.VERTICAL_TITLE not in t]

    def prefer(cands, word):
        named = [lo for lo in cands if word in (lo.name or "").lower()]
        return (named or cands)[0] if cands else None

    chosen_content = prefer(content, "content")
    if chosen_content is None:
        chosen_content = any_title[0] if any_title else layouts[0]
        info.notes.append(f"No layout with a title and one content area: text slides use "
                          f"'{name(chosen_content)}' and text boxes.")
    chosen_title_only = prefer(title_only, "title only")
    if chosen_title_only is None:
        chosen_title_only = chosen_content
        info.notes.append(f"No 'title only' layout: table and chart slides use "
                          f"'{name(chosen_title_only)}' with its empty content area removed.")
    chosen_cover = prefer(cover, "title")
    if chosen_cover is None:
        chosen_cover = chosen_title_only
        info.notes.append(f"No title-slide layout: the cover uses '{name(chosen_cover)}'.")

    title_only_has_title = _has_title(_ph_types(chosen_title_only))
    if not title_only_has_title:
        info.notes.append("No layout has a title placeholder: each slide gets its own title "
                          "placeholder so that its title is still read out by screen readers.")
    content_has_body = _bodies(_ph_types(chosen_content)) >= 1

    info.layouts = {"Cover": name(chosen_cover), "Table and chart": name(chosen_title_only),
                    "Text": name(chosen_content)}
    body = _body_box(prs, chosen_content, info)
    title_bottom = _title_bottom(prs, chosen_title_only)
    gap = Inches(0.12)
    top = max(title_bottom + gap, body.top - Inches(0.15)) if title_bottom else body.top
    top = min(top, int(info.slide_height * 0.35))
    bottom = body.bottom
    # leave room for the status line below the content area
    footer_room = Inches(0.32)
    if bottom + footer_room > info.slide_height - Inches(0.05):
        bottom = info.slide_height - Inches(0.05) - footer_room
    content_box = Box(body.left, top, body.width, max(Inches(2), bottom - top))
    return Layouts(chosen_cover, chosen_title_only, chosen_content, content_box, body,
                   title_only_has_title, content_has_body)


def _body_box(prs, layout, info: TemplateInfo) -> Box:
    """The content area of the title-and-content layout, or sensible margins."""
    for ph in layout.placeholders:
        if ph.placeholder_format.type in BODY_TYPES:
            try:
                box = Box(int(ph.left), int(ph.top), int(ph.width), int(ph.height))
            except TypeError:  # no position anywhere in the inheritance chain
                break
            if box.width > info.slide_width * 0.5 and box.height > info.slide_height * 0.4:
                return box
            break
    w, h = info.slide_width, info.slide_height
    info.notes.append("The content area was taken from the slide size (no usable content "
                      "placeholder was found).")
    return Box(int(w * 0.05), int(h * 0.2), int(w * 0.9), int(h * 0.7))


def _title_bottom(prs, layout) -> int | None:
    for ph in layout.placeholders:
        if ph.placeholder_format.type in TITLE_TYPES:
            try:
                return int(ph.top) + int(ph.height)
            except TypeError:
                return None
    return None

