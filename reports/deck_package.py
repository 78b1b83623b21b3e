"""Writing the deck's package: new parts' names kept as they are made, each relationships
part written as one string, and the zip members in python-pptx's order with the same bytes
(issue 13)."""

from __future__ import annotations

from pptx.opc.packuri import PackURI

from reports.shape_xml import _attr


def remember_partnames(prs) -> None:
    """Let the presentation's package keep its part names instead of walking every relationship
    of the package for each new part (notes slide, chart, embedded workbook), which made the
    deck's cost grow with the square of its slides (issue 13). The names chosen are the ones
    python-pptx's ``OpcPackage.next_partname`` (1.0) chooses; only parts added through it are
    remembered, which is every part whose name it is asked for while a deck is built."""
    package = prs.part.package
    taken: set = set()
    known = []

    def next_partname(tmpl: str):
        if not known:
            taken.update(p.partname for p in package.iter_parts())
            known.append(True)
        prefix = tmpl[: (tmpl % 42).find("42")]
        partnames = {name for name in taken if name.startswith(prefix)}
        for n in range(len(partnames) + 1, 0, -1):
            candidate = tmpl % n
            if candidate not in partnames:
                taken.add(candidate)
                return PackURI(candidate)
        raise RuntimeError("no free part name")  # cannot happen: n runs past the names taken

    package.next_partname = next_partname


_RELS_OPEN = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">')


def rels_xml(rels) -> bytes:
    """A part's (or the package's) relationships as python-pptx's ``_Relationships.xml`` writes
    them (in the numeric order of their ids, each with its id, type and target), written as one
    string instead of an element per relationship parsed, set attribute by attribute and
    serialised (issue 13). A collection with an external or no relationship goes through
    python-pptx."""
    keys = sorted((int(rid[3:]) if rid.startswith("rId") and rid[3:].isdigit() else 0, rid)
                  for rid in rels.keys())
    out = [_RELS_OPEN]
    for _, rid in keys:
        rel = rels[rid]
        if rel.is_external:
            return rels.xml
        out.append(f'<Relationship Id="{_attr(rid)}" Type="{_attr(rel.reltype)}" '
                   f'Target="{_attr(rel.target_ref)}"/>')
    if len(out) == 1:
        return rels.xml
    out.append("</Relationships>")
    return "".join(out).encode("utf-8")


def save_package(prs, file) -> None:
    """``prs.save(file)``: the same zip members in the same order with the same bytes (content
    types, package relationships, then each part and its relationships, as python-pptx's
    ``PackageWriter`` writes them), each relationships part written by ``rels_xml``."""
    import zipfile

    from pptx.opc.oxml import serialize_part_xml
    from pptx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from pptx.opc.serialized import _ContentTypesItem

    package = prs.part.package
    parts = tuple(package.iter_parts())
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED,
                         strict_timestamps=False) as z:
        z.writestr(CONTENT_TYPES_URI.membername,
                   serialize_part_xml(_ContentTypesItem.xml_for(parts)))
        z.writestr(PACKAGE_URI.rels_uri.membername, rels_xml(package._rels))
        for part in parts:
            z.writestr(part.partname.membername, part.blob)
            if part._rels:
                z.writestr(part.partname.rels_uri.membername, rels_xml(part._rels))
