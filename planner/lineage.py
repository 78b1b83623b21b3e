"""Where a plan, a copy, a pack or a workbook came from: plan id, journal steps and their identities.

Every journal step has a lasting identity (``journal_groups.step``) that is copied with the file,
so two copies of one plan share the identities of the history they had in common. A copy records
its fork point (``meta.made_from``); a pack or exported workbook records the plan id and the state
(the last step's identity) it was made from. The steps of another copy already merged into a file
are listed in ``merged_steps``, so merging the same thing twice changes nothing.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import sqlite3
from dataclasses import dataclass

from planner.changes import FieldChange
from planner.document import PlanDocument, apply_to_plan
from planner.errors import PlanError
from planner.model import Plan
from planner.storage import read_json


@dataclass
class Step:
    """One journal step: its number in this file, lasting identity, author, label and changes."""

    grp: int
    step: str
    who: str
    label: str
    changes: list[FieldChange]


def step_ids(conn: sqlite3.Connection) -> list[str]:
    """The identities of every journal step of a file, oldest first."""
    return [r[0] for r in conn.execute("SELECT step FROM journal_groups ORDER BY grp") if r[0]]


def known_steps(conn: sqlite3.Connection) -> set[str]:
    """Steps this file has seen: its own and those merged into it from other copies."""
    return set(step_ids(conn)) | {r[0] for r in conn.execute("SELECT step FROM merged_steps")}


def read_steps(conn: sqlite3.Connection, after_grp: int = 0) -> list[Step]:
    """Journal steps numbered after ``after_grp`` with their field changes, oldest first."""
    steps: dict[int, Step] = {}
    for g in conn.execute("SELECT grp, step, who, label FROM journal_groups WHERE grp > ? "
                          "ORDER BY grp", (after_grp,)):
        steps[g[0]] = Step(g[0], g[1] or "", g[2] or "", g[3] or "", [])
    for r in conn.execute("SELECT grp, kind, key, uid, field, old, new FROM journal "
                          "WHERE grp > ? ORDER BY seq", (after_grp,)):
        if r[0] in steps:
            steps[r[0]].changes.append(FieldChange(r[1], read_json(r[2]), r[3], r[4],
                                                   read_json(r[5]), read_json(r[6])))
    return list(steps.values())


def made_from(conn: sqlite3.Connection) -> dict | None:
    """The fork point a copy recorded (plan id, state, when, source file name), if any."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'made_from'").fetchone()
    try:
        return json.loads(row[0]) if row else None
    except (TypeError, ValueError):
        return None


def plan_at(doc: PlanDocument, state: str) -> Plan:
    """The plan as it was at journal step ``state``: today's plan with later steps undone."""
    row = doc.conn.execute("SELECT grp FROM journal_groups WHERE step = ?", (state,)).fetchone()
    if row is None:
        raise PlanError("This plan does not hold the state the file was made from (it was made "
                        "from another copy of the plan, or the journal was cut short).")
    plan = copy.deepcopy(doc.plan)
    for step in reversed(read_steps(doc.conn, row[0])):
        for fc in reversed(step.changes):
            try:
                apply_to_plan(plan, fc.inverse())
            except (KeyError, ValueError) as exc:
                raise PlanError(f"The plan's history could not be replayed ({exc}).") from None
    return plan


def signing_key(doc: PlanDocument) -> bytes:
    """This plan's secret for signing packs and workbooks, kept in the file.

    New plans get a random one when created. A plan from before (or one opened read-only whose
    secret was never stored) gets one derived from its identity and the first step of its
    journal, which neither a pack nor a workbook shows; it is stored at the first chance. Copies
    carry the same secret, so a pack made from any copy can come home.
    """
    row = doc.conn.execute("SELECT value FROM meta WHERE key = 'signing_key'").fetchone()
    if row and row[0]:
        return bytes.fromhex(row[0])
    first = doc.conn.execute("SELECT ts, who, label, step FROM journal_groups ORDER BY grp "
                             "LIMIT 1").fetchone()
    seed = json.dumps(["rcp-signing-key", doc.plan.settings.plan_id,
                       list(first) if first else []])
    key = hashlib.sha256(seed.encode()).hexdigest()
    if not getattr(doc, "readonly", False):
        with doc._writing():  # one write like any other: counted, and refused if stale
            doc.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('signing_key', ?)",
                             (key,))
    return bytes.fromhex(key)


def sign(key: bytes, content: object) -> str:
    """An integrity check over JSON-friendly ``content`` (HMAC-SHA256, hex)."""
    data = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def verify(key: bytes, content: object, signature: str) -> bool:
    """Whether ``signature`` is ``sign(key, content)``."""
    return hmac.compare_digest(sign(key, content), str(signature or ""))
