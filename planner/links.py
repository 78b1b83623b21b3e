"""The plan's links by action, kept up to date edit by edit, so one edit's checks look only near it.

Adding one link on a 20,000-action plan built the whole successor map (60,000 links) to look for a
loop, scanned every link for the same pair and, now and then, walked the whole plan for its
longest chain: about a third of a second (issue 13). ``PlanDocument`` keeps one ``LinkIndex`` and
tells it every field change it applies (``note``), as it tells the chain check; the rules
themselves stay where they are (``validate.loop_through`` and ``path_between``,
``limits.chain_problem``) and read the index instead of building their own.

The index lists, for each action, the links that wait on it and the links it waits on, **in the
plan's own order** (the order of ``plan.dependencies``), so a search over it visits actions in
exactly the order a search over ``validate.successors_map`` does and names the same loop. It is
rebuilt from the plan whenever it cannot be sure it is current (another plan, or a link count
that does not match: something changed the plan behind the document's back).
"""

from __future__ import annotations

from typing import Any

from .changes import WHOLE, FieldChange
from .limits import _days


class _Successors:
    """``validate.successors_map(plan, skip)`` read from the index: ``get(action)`` lists the
    actions waiting on it, in the plan's order, leaving out the link ``skip``."""

    __slots__ = ("_succ", "_skip")

    def __init__(self, succ: dict[str, list[tuple[str, str]]], skip: str | None):
        self._succ = succ
        self._skip = skip

    def get(self, action: str, default: Any = ()) -> Any:
        links = self._succ.get(action)
        if not links:
            return default
        skip = self._skip
        return [a for uid, a in links if uid != skip]


class LinkIndex:
    """Each action's links both ways, for the document's per-edit checks (see the module)."""

    def __init__(self) -> None:
        self._plan: Any = None
        self._count = -1
        self._succ: dict[str, list[tuple[str, str]]] = {}  # needs -> [(uid, action)]
        self._pred: dict[str, list[tuple[str, str]]] = {}  # action -> [(uid, needs)]
        self._seq: dict[str, int] = {}                      # uid -> place in the plan's order
        self._next = 0

    # ----- keeping it current ------------------------------------------------------------------

    def _current(self, plan: Any) -> None:
        """Rebuild from ``plan`` unless the index is known to describe it."""
        if plan is self._plan and self._count == len(plan.dependencies):
            return
        self._plan = plan
        deps = plan.dependencies
        # ``_insert`` for every link in turn, written out in one loop: a call and two
        # ``setdefault``s a link were most of the first link added to a 20,000-action plan
        # (60,000 links: 120 ms; issue 13). The places are numbered in C.
        succ: dict[str, list[tuple[str, str]]] = {}
        pred: dict[str, list[tuple[str, str]]] = {}
        to_succ, to_pred = succ.get, pred.get
        for uid, d in deps.items():
            action, needs = d.action, d.needs
            got = to_succ(needs)
            if got is None:
                succ[needs] = [(uid, action)]
            else:
                got.append((uid, action))
            got = to_pred(action)
            if got is None:
                pred[action] = [(uid, needs)]
            else:
                got.append((uid, needs))
        self._succ, self._pred = succ, pred
        self._seq = dict(zip(deps, range(len(deps))))
        self._next = len(deps)
        self._count = len(deps)

    def _insert(self, uid: str, action: Any, needs: Any) -> None:
        self._succ.setdefault(needs, []).append((uid, action))
        self._pred.setdefault(action, []).append((uid, needs))
        self._seq[uid] = self._next
        self._next += 1

    def _remove(self, uid: str, action: Any, needs: Any) -> None:
        for table, key in ((self._succ, needs), (self._pred, action)):
            links = table.get(key, [])
            for k, (u, _) in enumerate(links):
                if u == uid:
                    del links[k]
                    break
            if not links:
                table.pop(key, None)
        self._seq.pop(uid, None)

    def note(self, plan: Any, fc: FieldChange) -> None:
        """Follow one field change the document has just applied to ``plan``."""
        if fc.kind != "dependency" or plan is not self._plan:
            return
        if fc.field == WHOLE and isinstance(fc.new, dict) and fc.old is None:
            self._insert(fc.uid if fc.uid else fc.key, fc.new.get("action"), fc.new.get("needs"))
        elif fc.field == WHOLE and isinstance(fc.old, dict) and fc.new is None:
            self._remove(fc.uid if fc.uid else fc.key, fc.old.get("action"), fc.old.get("needs"))
        elif fc.field in ("action", "needs", "uid", WHOLE):
            self._plan = None  # a link moved between actions: rebuilt when next asked
            return
        self._count = len(plan.dependencies)

    def prepare(self, plan: Any) -> None:
        """Build the index for ``plan`` now, if it does not describe it yet."""
        self._current(plan)

    # ----- what the checks ask -----------------------------------------------------------------

    def successors(self, plan: Any, skip: str | None = None) -> _Successors:
        """The plan's successor map (``validate.successors_map``), without building it."""
        self._current(plan)
        return _Successors(self._succ, skip)

    def links_of(self, plan: Any, action: str) -> list[str]:
        """Uids of the links naming ``action`` at either end, in the plan's order."""
        self._current(plan)
        uids = {u for u, _ in self._succ.get(action, ())}
        uids.update(u for u, _ in self._pred.get(action, ()))
        return sorted(uids, key=self._seq.__getitem__)

    def names(self, plan: Any, action: str) -> bool:
        """Whether any link names ``action`` (as the one waiting or the one waited for)."""
        self._current(plan)
        return action in self._succ or action in self._pred

    def pair_taken(self, plan: Any, action: str, needs: str, uid: str | None = None) -> bool:
        """Whether a link other than ``uid`` already makes ``action`` wait for ``needs``."""
        self._current(plan)
        return any(n == needs and u != uid for u, n in self._pred.get(action, ()))

    def chain_through(self, plan: Any, action: str, needs: str, lag: Any) -> int | None:
        """Working days of the longest chain of waiting work through a link ``needs`` ->
        ``action`` (``limits.chain_pass``'s counting: durations and lags below 0 count 0; links
        naming unknown actions or an action itself are left out): the longest chain ending
        with ``needs``, the lag, and the longest starting with ``action``. None when unsure: a
        loop on the way, an odd value, or an end that is not an action of the plan."""
        self._current(plan)
        actions = plan.actions
        lag_days = _days(lag)
        if lag_days is None or action not in actions or needs not in actions or action == needs:
            return None
        head = self._longest(actions, needs, self._pred)
        tail = None if head is None else self._longest(actions, action, self._succ)
        return None if tail is None else head + lag_days + tail

    def _longest(self, actions: dict, start: str, side: dict) -> int | None:
        """The longest chain from ``start`` along ``side`` (its own duration included): a
        depth-first walk keeping each action's answer; None on a loop or an odd value."""
        deps = self._plan.dependencies
        best: dict[str, int] = {}   # finished actions: their longest chain
        reach = {start: 0}          # open actions: the most the links followed so far add
        on_path = {start}
        stack = [(start, iter(side.get(start, ())), 0)]
        while stack:
            node, links, _ = stack[-1]
            for uid, other in links:
                if other == node or other not in actions:
                    continue  # chain_pass leaves such links out
                dep = deps.get(uid)
                lag = _days(dep.lag) if dep is not None else None
                if lag is None or other in on_path:
                    return None  # an odd value, or a loop
                got = best.get(other)
                if got is None:
                    on_path.add(other)
                    reach[other] = 0
                    stack.append((other, iter(side.get(other, ())), lag))
                    break
                if got + lag > reach[node]:
                    reach[node] = got + lag
            else:
                _, _, lag = stack.pop()
                on_path.discard(node)
                own = _days(actions[node].duration)
                if own is None:
                    return None
                best[node] = own + reach.pop(node)
                if stack:  # what it adds to the action that led to it
                    parent = stack[-1][0]
                    if best[node] + lag > reach[parent]:
                        reach[parent] = best[node] + lag
        return best[start]
