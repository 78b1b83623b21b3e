"""Command-line entry points called by main.py: ``sequence``, ``impact`` and ``why``.

Each takes an open ``Plan``, writes to the text stream ``out`` and returns the exit code. User
errors (unknown id, a loop in the file) are raised as ``planner.errors.PlanError`` so that main.py
prints the message without a traceback.
"""

from __future__ import annotations

import io
import json
import json.encoder

from planner import rules
from planner.dates import short_date
from planner.errors import PlanError
from planner.model import MilestoneStatus, Plan

from .analysis import analyse

MAX_ROWS = 60
_SCALARS = (str, int, float, bool, type(None))
_PLAIN = frozenset(_SCALARS)


def write_json(data, out, indent: int = 2, _depth: int = 0) -> None:
    """Write ``data`` exactly as ``json.dump(data, out, indent=indent)`` would, much faster.

    Python's JSON encoder has no C path for indented output; for the 2,000-action schedule that
    cost about a fifth of the whole ``sequence --json`` run (issue 13). Here every list or dict
    holding only plain values is encoded by the C encoder with the indented separators (one
    encoder per depth, made once), and only the few outer levels are walked in Python; a level
    whose items are such flat lists or dicts (the schedule's actions) is joined in one write.
    """
    pad = " " * (indent * (_depth + 1))
    if not (isinstance(data, (dict, list)) and data):
        out.write(json.dumps(data))
        return
    if _flat(data):
        out.write(_flat_text(data, pad, indent))
        return
    is_dict = isinstance(data, dict)
    parts = []
    for item in (data.items() if is_dict else data):
        head = ""
        if is_dict:
            key, item = item
            head = _quoted(_json_key(key)) + ": "
        if _flat(item):
            parts.append(head + _flat_text(item, pad + " " * indent, indent))
        else:
            inner = io.StringIO()
            write_json(item, inner, indent, _depth + 1)
            parts.append(head + inner.getvalue())
    out.write(("{\n" if is_dict else "[\n") + pad + (",\n" + pad).join(parts) + "\n"
              + pad[:-indent] + ("}" if is_dict else "]"))


def _flat(data) -> bool:
    """A non-empty list or dict holding only plain values (no lists or dicts)."""
    if not (isinstance(data, (dict, list)) and data):
        return False
    values = data.values() if isinstance(data, dict) else data
    # the exact types first, in one C pass (a schedule's thousands of small dicts); subclasses
    # of them (an enum's text) by isinstance
    return (set(map(type, values)) <= _PLAIN
            or all(isinstance(v, _SCALARS) for v in values))


def _flat_text(data, pad: str, indent: int) -> str:
    """A flat list or dict as ``json.dump`` indents it, its items at ``pad``."""
    text = _encoder(pad)(data)
    return f"{text[0]}\n{pad}{text[1:-1]}\n{pad[:-indent]}{text[-1]}" if indent else text


_ENCODERS: dict = {}
_quoted = json.encoder.encode_basestring_ascii  # json.dumps of a str, without its set-up


def _encoder(pad: str):
    """A function encoding a flat list or dict on one level with ",\n" + ``pad`` between items.

    ``JSONEncoder.encode`` builds its C encoder anew on every call, which cost more than the
    encoding itself for the schedule's 2,000 small dicts; the C encoder is made once here."""
    found = _ENCODERS.get(pad)
    if found is None:
        public = json.JSONEncoder(separators=(",\n" + pad, ": "))
        make = json.encoder.c_make_encoder
        if make is None:  # a Python without json's C speed-ups
            found = public.encode
        else:
            c_encode = make(None, public.default, json.encoder.encode_basestring_ascii, None,
                            public.key_separator, public.item_separator, False, False, True)
            found = lambda flat: "".join(c_encode(flat, 0))  # noqa: E731
        _ENCODERS[pad] = found
    return found


def _json_key(key):
    """Dict keys as json.dump writes them (numbers and booleans become text)."""
    if isinstance(key, str):
        return key
    if key is True or key is False or key is None:
        return json.dumps(key)
    if isinstance(key, (int, float)):
        return json.dumps(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _days(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


def run_sequence(plan: Plan, starts: list[str], as_json: bool, out) -> int:
    """Schedule the plan (optionally from starting points) and print a summary or JSON."""
    an = analyse(plan, starts or ())
    if as_json:
        write_json(an.to_json(), out)
        out.write("\n")
        return 0
    w = out.write
    name = plan.settings.name or "Plan"
    w(f"{name}\n")
    w(f"Starts {short_date(an.plan_start)}")
    if an.as_of:
        w(f", status date {short_date(an.as_of)}")
    w(f"; forecast to finish {short_date(an.plan_finish, 'n/a')}"
      f" ({len(an.rows)} actions scheduled).\n\n")
    if an.recommendations:
        w("Where to start\n")
        for k, r in enumerate(an.recommendations[:5], 1):
            # the score as the start wizard gives it, whole ("score 56", not "56.4")
            w(f"  {k}. [score {r.score:.0f}] {r.reason}\n")
        w("\n")
    if an.phase_changes:
        w(f"Phases from the starting points ({len(an.phase_changes)} actions would change; "
          f"nothing has been saved)\n")
        for c in an.phase_changes[:MAX_ROWS]:
            old = f"phase {c.old}" if c.old is not None else "no phase"
            new = f"phase {c.new}" if c.new is not None else "no phase"
            w(f"  {c.action_id} '{c.title}': {old} -> {new}: {c.reason}\n")
        if len(an.phase_changes) > MAX_ROWS:
            w(f"  ... and {len(an.phase_changes) - MAX_ROWS} more\n")
        w("\n")
    cp = an.critical_path
    w("Critical path (no float: any slip here moves the plan finish)\n")
    if cp:
        for aid in cp:
            r = an.rows[aid]
            w(f"  {aid} '{r.title}' {short_date(r.start)} to {short_date(r.finish)}\n")
    else:
        w("  none (every remaining action has float)\n")
    w("\n")
    ready = an.ready_now
    if ready:
        w(f"Can start now ({len(ready)})\n")
        for aid in ready[:MAX_ROWS // 3]:
            r = an.rows[aid]
            w(f"  {aid} '{r.title}' (float {_days(r.float_days)})\n")
        if len(ready) > MAX_ROWS // 3:
            w(f"  ... and {len(ready) - MAX_ROWS // 3} more\n")
        w("\n")
    ids = [aid for aid in an.rows if an.data.state[an.data.pos[aid]] != 2]
    done = len(an.rows) - len(ids)
    w(f"Open actions ({len(ids)}; {done} done not shown)\n" if done else
      f"Open actions ({len(ids)})\n")
    # short_date is 10 or 11 letters wide ("8 Dec 2028", "18 Dec 2028"): padded to line up
    w(f"  {'ID':<7} {'Start':<11} {'Finish':<11} {'Float':>5} Ph Wv  Title\n")
    for aid in sorted(ids, key=lambda a: (an.data.es[an.data.pos[a]], an.data.pos[a]))[:MAX_ROWS]:
        r = an.rows[aid]
        mark = "*" if r.critical else " "
        ph = str(r.phase) if r.phase is not None else "-"
        w(f" {mark}{aid:<7} {short_date(r.start):<11} {short_date(r.finish):<11} {r.float_days:>5} "
          f"{ph:>2} {r.wave:>2}  {r.title}\n")
    if len(ids) > MAX_ROWS:
        w(f"  ... {len(ids) - MAX_ROWS} more actions (use --json for all)\n")
    w("  (* = critical; Ph = phase; Wv = wave)\n\n")
    if an.milestones:
        w("Milestones\n")
        for mid, f in an.milestones.items():
            base = short_date(f.baseline, "no baseline")
            fc = short_date(f.forecast, "no forecast")
            status = plan.milestones[mid].status if mid in plan.milestones else None
            # the words of the window's Milestones view and the deck: "18 Dec 2026 (missed)",
            # "66 working days late" (planner.rules.slip_text)
            fc = (f"achieved {fc}" if f.actual else f"cancelled (was forecast {fc})"
                  if status == MilestoneStatus.CANCELLED else f"forecast {fc} (missed)"
                  if status == MilestoneStatus.MISSED else f"forecast {fc}")
            slip = ""
            if f.slip_days is not None and status != MilestoneStatus.CANCELLED:
                slip = f", {rules.slip_text(f.slip_days)}"
            flag = " (owner's forecast; schedule differs)" if f.disagrees else ""
            w(f"  {mid} '{f.title}': baseline {base}, {fc}{slip}{flag}\n")
        w("\n")
    warnings = an.warnings
    if warnings:
        w(f"Warnings ({len(warnings)})\n")
        for x in warnings:
            w(f"  - {x.message}\n")
    return 0


def run_impact(plan: Plan, action_id: str, slip: int, as_json: bool, out) -> int:
    """Print what moves if one action finishes ``slip`` working days late."""
    if action_id not in plan.actions:
        raise PlanError(f"There is no action {action_id} in this plan.")
    from .explain import impact  # only impact and why need it (issue 13: import what is used)

    res = impact(plan, action_id, slip)
    if as_json:
        write_json(res.to_json(), out)
        out.write("\n")
    else:
        out.write(res.text + "\n")
    return 0


def run_why(plan: Plan, target_id: str, out) -> int:
    """Print the chain of work that dates a milestone or action, down to its root cause."""
    from .explain import why

    out.write(why(plan, target_id).text + "\n")
    return 0
