"""The scheduler's edits: what ``ScheduleCore`` does after the plan changed, without compiling it again.

``ScheduleEdits`` is a mixin that ``graph.schedule.ScheduleCore`` inherits: ``refresh`` takes an
edit to some actions' own fields (their constraints worked out again, early dates pushed
downstream and late dates pulled upstream of them, on heaps in topological order), links and
actions added or removed (``_relink``: taken into the compiled lists in place, a deleted action's
position left as a tombstone until ``_compact`` takes them out) and keeps the waves up to date
(``_rewave``). It reads and writes the lists compiling made (``graph/schedule.py``) and calls the
core's own rules for one action (``_prepare``, ``_early``), its full passes (``_forward_all``,
``_backward_all``, ``run``) and its critical buckets (``_reindex_critical``,
``_unindex_critical``), so the rules stay written once. A mixin rather than functions: the
edits are the same object's methods as before (``ScheduleCore.refresh``, ``core._forward_from``
in ``graph/explain.py``), and the plain scheduler the tests compare with overrides them.

This module sits below ``graph/schedule.py`` (which imports it), so the few numbers the compile
part and the edits both write are defined here. The knobs that steer the edits
(``CASCADE_DIVISOR``, ``CASCADE_MIN``, ``TOMBSTONE_DIVISOR``) are read from this module's globals:
tune them here (``graph.schedule`` does not hold them).
"""

from __future__ import annotations

import heapq
from itertools import repeat

from planner.flat import leave_unwalked
from planner.model import Action, ActionStatus
from planner.storage import collector_paused

from .compiled_links import _numbers, _renumbering, _reorder, _through, _without
from .dense import _Layout
from .snapshot import DONE, NOT_STARTED

# Why an action starts when it does, when no prerequisite drives it (``driver`` < 0; their
# words are ``graph.schedule.LOWER_REASONS``).
_PLAN_START, _AS_OF, _NOT_BEFORE, _PHASE_START, _ACTUAL = -1, -2, -3, -4, -5

_INF = 1 << 40  # "no deadline downstream"

# An edit that moves more than n / CASCADE_DIVISOR + CASCADE_MIN actions switches to full passes.
CASCADE_DIVISOR, CASCADE_MIN = 8, 64

# Lists indexed by action position that an edit may change (copied before an edit if shared).
_PER_ACTION = ("es", "ef", "tail", "bound", "driver", "span", "lower", "lower_why", "state",
               "fixed_start", "fixed_finish", "deadline", "phase")
_PREPARED = ("span", "lower", "lower_why", "phase", "deadline", "state", "fixed_start",
             "fixed_finish")  # the ones ``ScheduleCore._prepare`` writes
_PASSES = ("es", "ef", "driver", "tail", "bound")  # the ones an edit's passes write


_TOMBSTONE = {"es": -_INF, "ef": -_INF, "tail": 0, "bound": _INF, "state": DONE,
              "fixed_start": -_INF, "fixed_finish": -_INF}
"""What a deleted action's position holds until the tombstones are taken out: done (never
critical, wave 0, holding nothing back: no pass reads its other entries), dated before anything
(never the plan finish, never driving the actions its links lead to)."""
TOMBSTONE_DIVISOR = 8
"""Tombstones are taken out (``ScheduleCore._compact``) once they are more than one position in
this many (0: never, a large number: at once)."""

_BLANK = {"es": 0, "ef": 0, "tail": 0, "bound": _INF, "driver": _PLAN_START, "span": 0,
          "lower": 0, "lower_why": _PLAN_START, "state": NOT_STARTED, "fixed_start": 0,
          "fixed_finish": 0, "deadline": None, "phase": None}
"""What a new action's per-action entries hold until its own fields are worked out (one for
each list of ``_PER_ACTION``)."""


class ScheduleEdits:
    """The edits of ``ScheduleCore`` (a mixin: see the module's docstring).

    Use ``refresh(actions=[...])`` after editing those actions, ``links_changed=True`` (with
    ``link_edits``, ``actions_added``, ``actions_removed`` when known) after adding or removing
    links or actions, ``settings_changed=True`` after changing the plan's dates or holidays.
    """

    # ----------------------------------------------------------------- edits
    def refresh(self, actions: list[str] | tuple = (), links_changed: bool = False,
                settings_changed: bool = False, link_edits=(),
                actions_added=(), actions_removed=()) -> ScheduleEdits:
        """Recompute after edits to ``actions`` (their own fields); recompile if links changed.

        Adding, removing or cancelling actions, or changing links, settings, holidays or phase
        dates needs ``links_changed=True`` or ``settings_changed=True`` (a full recompute).
        ``link_edits``: when the links changed only by links added or removed, each as
        ``(added, action, needs, type, lag)`` (``ChangeSet.link_edits``; ``actions`` then names
        both ends of each), and ``actions_added`` and ``actions_removed`` the actions added and
        removed (``actions`` names them too): they are taken into the compiled graph without
        recompiling.
        Ids that are neither scheduled nor in the plan are ignored.
        """
        actions = [a for a in actions if a in self.plan.actions or (self._compiled and a in self.pos)]
        if (links_changed and (link_edits or actions_added or actions_removed)
                and self._compiled and not settings_changed
                and self._calendar_key() == self._compiled_key
                and self._relinked(link_edits, actions_added, actions_removed)):
            links_changed = False  # the graph has the new links: dates move as after an edit
            actions = [a for a in actions if a in self.pos]
        if (not self._compiled or links_changed or settings_changed
                or self._calendar_key() != self._compiled_key
                or any(a not in self.pos and a in self.plan.actions
                       and self.plan.actions[a].status != ActionStatus.CANCELLED for a in actions)
                or any(a in self.pos and (a not in self.plan.actions
                                          or self.plan.actions[a].status == ActionStatus.CANCELLED)
                       for a in actions)):
            self._compiled = False
            self._layout = None
            return self.run()
        if not any(a in self.pos for a in actions):
            return self  # nothing scheduled changed (a title, an owner, a milestone): no copies
        self._own_lists(_PASSES)
        changed = []
        done_moved = []  # actions now done that were not, or the other way round
        for aid in actions:
            i = self.pos.get(aid)
            if i is None:  # cancelled before and still: not scheduled, so nothing moves
                continue
            self.notes = [nt for nt in self.notes if aid not in nt.ids or nt.kind != "actuals"]
            before = self.state[i]
            self._prepare_edited(i, self.plan.actions[aid])
            if (self.state[i] == DONE) != (before == DONE):
                done_moved.append(i)
            changed.append(i)
        wave = self._wave_box[0]
        if done_moved and wave is not None:  # waves depend on which actions are done
            self._wave_box = [self._rewave(list(wave), done_moved)]
        if changed:
            self._order_notes()
            with collector_paused():
                self._forward_from(changed)
        return self

    def _order_notes(self) -> None:
        """The notes in the order compiling makes them (the plan's settings, then each action's in
        the plan's order, then the links'): an edited action's notes are made again after the
        others, and the warnings a user reads must not change order with the edits made."""
        pos = self.pos
        self.notes.sort(key=lambda nt: (0, 0) if nt.kind == "settings" else (
            (1, pos.get(nt.ids[0], -1)) if nt.kind == "actuals" and nt.ids else (2, 0)))

    def _own_lists(self, names=_PER_ACTION) -> None:
        """A snapshot holds the current lists: copy those of ``names`` it still holds before
        changing them (``_shared``: the names of the lists a snapshot holds, or False)."""
        shared = self._shared
        if shared:
            for name in names:
                if name in shared:
                    copy = list(getattr(self, name))
                    leave_unwalked(copy)
                    setattr(self, name, copy)
                    shared.discard(name)

    def _prepare_edited(self, i: int, a: Action) -> None:
        """``_prepare`` for an action edited after compiling: only the lists whose entry for
        ``i`` changes are copied (issue 13: an edit used to copy all thirteen lists of the
        plan's size, though most edits change one of the action's own constraints, and a link
        added or removed none). ``_prepare`` writes in place; what it wrote is read back, the
        entries a snapshot holds put back as they were, and each change then written to a copy."""
        lists = [getattr(self, name) for name in _PREPARED]
        old = [lst[i] for lst in lists]
        try:
            self._prepare(i, a)
            new = [lst[i] for lst in lists]
        finally:
            shared = self._shared
            if shared:
                for name, lst, was in zip(_PREPARED, lists, old):
                    if name in shared:
                        lst[i] = was
        for name, was, now in zip(_PREPARED, old, new):
            if now != was or now.__class__ is not was.__class__:
                self._own_lists((name,))
                getattr(self, name)[i] = now

    def _relinked(self, link_edits, actions_added=(), actions_removed=()) -> bool:
        """``_relink`` with the cycle collector held off: it makes new lists and copies of the
        plan's size, and a collection of the whole heap started by them cost more than the
        edit (issue 13)."""
        with collector_paused():
            done = self._relink(link_edits, actions_added, actions_removed)
            if done:
                self._leave_unwalked()
            return done

    def _relink(self, link_edits, actions_added=(), actions_removed=()) -> bool:
        """Take actions added or removed and links added or removed into the compiled graph
        (issue 13: one new link or action on 20,000 actions recompiled the whole plan, about
        0.2 s): new actions take the next positions (the plan's last, as compiling gives them;
        the caller then works out their own dates), the links' lists are edited in a copy, the
        sweep kept topological and the waves moved where they change.

        A removed action's position is left as a tombstone: done, dated before anything, so
        no pass is held back or driven by it, its links left in place (``Links.without``); no
        position moves and no list is copied but the few it writes. Renumbering every position
        after a deleted one (every link's two ends, the sweep, the drivers, the id map) and
        taking its links out of the lists was most of deleting an action on 20,000 actions;
        now it is done once the tombstones pass ``1 / TOMBSTONE_DIVISOR`` of the positions
        (``_compact``), and a snapshot shows the positions without them (``_Dense``: each list
        made when first read).

        False where only compiling can say what the plan means: an action already placed,
        cancelled or not placed, one removed with links left, a link naming an action that is
        not scheduled (compiling notes it), an action waiting on itself, an odd lag, a loop
        (or one through a tombstone's links: rare, and compiling then settles it); the caller
        then compiles the plan (the sweep's ranks may have moved; nothing else has)."""
        plan_actions = self.plan.actions
        old_pos = self.pos
        new_ids = list(actions_added)
        if any(a in old_pos or a not in plan_actions
               or plan_actions[a].status == ActionStatus.CANCELLED for a in new_ids):
            return False
        gone = sorted({old_pos.get(a, -1) for a in actions_removed})
        if gone and (gone[0] < 0 or any(a in plan_actions for a in actions_removed)):
            return False
        n, a_new = len(self.ids), len(new_ids)
        more = range(n, n + a_new)
        added_at = dict(zip(new_ids, more))
        edges = []
        for added, action, needs, kind, lag in link_edits:
            s = old_pos.get(action, added_at.get(action))
            p = old_pos.get(needs, added_at.get(needs))
            if s is None or p is None or s == p or lag.__class__ is not int:
                return False
            edges.append((bool(added), p, s, kind == "SS", lag))
        dead = []  # the links of the actions removed: left in place
        if gone:
            gone_set = set(gone)
            dead = [(p, s, ss, lag) for added, p, s, ss, lag in edges
                    if p in gone_set or s in gone_set]
            if any(added for added, p, s, _ss, _lag in edges if p in gone_set or s in gone_set):
                return False  # a link to an action removed
            # (the links to earlier tombstones went with them)
            if sorted(dead) != sorted(self.links.around(gone, set(self._tombstones()))):
                return False  # links left to it (a plan from elsewhere)
            edges = [e for e in edges if e[1] not in gone_set and e[2] not in gone_set]
        links = self.links.edited(edges, a_new) if edges or a_new else self.links
        if links is None:
            return False
        rank = self._sweep_rank()  # the engine's own (no snapshot holds it): changed in place
        sweep = self.sweep
        if a_new or any(added for added, *_rest in edges):
            sweep = list(sweep)
            sweep.extend(more)
            rank.extend(more)
            tombs = {*gone, *self._tombstones()}
            for added, p, s, _ss, _lag in edges:
                if added and rank[p] > rank[s] and not _reorder(
                        sweep, rank, p, s, links.succ_side(), links.pred_side(), tombs):
                    return False  # a loop
        # The graph is taken: from here on the lists change.
        layout = self._layout
        if layout is not None and layout.ids is not self.ids:
            layout = None  # compiled since
        wave = self._wave_box[0]
        if wave is not None:
            wave = [*wave, *repeat(1, a_new)]
        if gone:
            ids = list(self.ids)
            gone_ids = {ids[i] for i in gone}
            finish_gone = any(self.ef[i] == self.finish_idx for i in gone)
            self._unindex_critical(gone)
            self._own_lists(_TOMBSTONE)
            for name, value in _TOMBSTONE.items():
                lst = getattr(self, name)
                for i in gone:
                    lst[i] = value
            for i in gone:
                ids[i] = None
                if wave is not None:
                    wave[i] = 0
            pos = old_pos.copy()
            for aid in gone_ids:
                del pos[aid]
            self.notes = [nt for nt in self.notes if not gone_ids.intersection(nt.ids)]
        elif new_ids:
            ids, pos = list(self.ids), old_pos.copy()
        else:  # only links: every action keeps its position (the same map: views keep theirs)
            ids, pos = self.ids, old_pos
        if new_ids:
            self._own_lists()
            ids.extend(new_ids)
            pos.update(zip(new_ids, more))
            for name, blank in _BLANK.items():
                getattr(self, name).extend(repeat(blank, a_new))
            if self._crit_key is not None:
                self._crit_key.extend(repeat(None, a_new))
        if ids is not self.ids:  # the layout lasts while the ids do
            if layout is not None or gone:
                layout = _Layout(ids, sorted([*layout.gone, *gone]) if layout else gone, pos)
            self.ids, self.pos = ids, pos
        self._layout = layout
        self.links, self.sweep, self._sweep_pos = links, sweep, rank
        if wave is not None:  # waves move only downstream of the links' waiting ends
            wave = self._rewave(wave, [*more, *(s for _a, _p, s, _ss, _lag in edges),
                                       *(s for _p, s, _ss, _lag in dead)])
        self._wave_box = [wave]
        if gone and finish_gone:
            self.finish_idx = self._latest_finish()
        if layout is not None and len(layout.gone) * TOMBSTONE_DIVISOR > len(ids):
            self._compact()
        return True

    def _tombstones(self) -> list[int]:
        """The positions of actions deleted since compiling (ascending; none as compiled)."""
        layout = self._layout
        return layout.gone if layout is not None and layout.ids is self.ids else []

    def _latest_finish(self) -> int:
        """The plan finish: the latest early finish (a tombstone's is before any)."""
        f = max(self.ef, default=-_INF)
        return self.start_idx if f == -_INF else f

    def _compact(self) -> None:
        """Take the tombstones and their links out: every later position moves down, each list
        that holds positions renumbered through one table as it is copied (``_renumbering``)."""
        layout, self._layout = self._layout, None
        gone = layout.gone
        n = len(self.ids)
        kept = n - len(gone)
        table = layout.table()
        self.links = layout.without_dead(self.links)
        rank_was = self._sweep_rank()
        ranks = sorted(rank_was[i] for i in gone)
        self.sweep = _without(_through(table, self.sweep), ranks)
        self._sweep_pos = _without(_through(_renumbering(n, ranks), rank_was), gone)
        for name in _PER_ACTION:  # copies: a snapshot may hold them
            setattr(self, name, _without(getattr(self, name), gone))
        self.driver = _through(table, self.driver)  # a prerequisite (< 0: a reason)
        if self._shared:
            self._shared.difference_update(_PER_ACTION)
        if self._crit_key is not None:
            self._crit_key = _without(self._crit_key, gone)
        self.ids = ids = _without(self.ids, gone)
        pos = self.pos.copy()
        pos.update(zip(ids[gone[0]:], _numbers(kept)[gone[0]:kept]))  # no new integers
        self.pos = pos
        wave = self._wave_box[0]
        self._wave_box = [None if wave is None else _without(wave, gone)]

    def _rewave(self, wave: list[int], starts) -> list[int]:
        """``wave`` (a copy) with the waves of ``starts`` worked out again from their
        prerequisites, and the change carried to what waits on them, in sweep order."""
        state, links, rank, sweep = self.state, self.links, self._sweep_rank(), self.sweep
        po, pn = links.p_off, links.p_node
        so, sn = links.succ_side()[:2]
        heap = list({rank[i] for i in starts})
        heapq.heapify(heap)
        queued = set(heap)
        while heap:
            r = heapq.heappop(heap)
            queued.discard(r)
            i = sweep[r]
            w = 0
            if state[i] != DONE:  # the rule of ScheduleData.waves
                w = 1
                for p in pn[po[i]:po[i + 1]]:
                    if wave[p] >= w:
                        w = wave[p] + 1
            if w != wave[i]:
                wave[i] = w
                for x in sn[so[i]:so[i + 1]]:
                    if rank[x] not in queued:
                        queued.add(rank[x])
                        heapq.heappush(heap, rank[x])
        return wave

    def _forward_from(self, changed: list[int]) -> None:
        """Recompute early dates downstream of ``changed``; then late dates where needed."""
        es, ef, driver = self.es, self.ef, self.driver
        span, early = self.span, self._early
        links = self.links
        so, sn, sss, slag = links.succ_side()
        po, pn = links.p_off, links.p_node
        state, tp = self.state, self._sweep_rank()
        changed_set = set(changed)
        # Heap entries are single integers (topological position, then action position) so
        # that a long cascade allocates no tuples for the garbage collector to chase.
        shift = len(self.ids).bit_length() + 1
        mask = (1 << shift) - 1
        heap = [(tp[i] << shift) | i for i in changed_set]
        heapq.heapify(heap)
        queued = set(changed_set)
        moved: list[int] = []
        heappop, heappush = heapq.heappop, heapq.heappush
        # A slip early in a long chain can move most of the plan; past this many actions a
        # plain pass over everything is cheaper than the heap.
        budget = len(self.ids) // CASCADE_DIVISOR + CASCADE_MIN
        finish = top = self.finish_idx  # the plan finish: the latest early finish
        lowered = False
        while heap:
            budget -= 1
            if budget < 0:
                self._forward_all()
                self._backward_all()
                return
            i = heappop(heap) & mask
            queued.discard(i)
            s, f, drv = early(i)
            driver[i] = drv
            if s != es[i] or f != ef[i] or i in changed_set:
                if ef[i] == finish and f < finish:
                    lowered = True  # the plan finish may come earlier: look at every action
                if f > top:
                    top = f
                es[i], ef[i] = s, f
                moved.append(i)
                for k in range(so[i], so[i + 1]):
                    t = sn[k]
                    if t not in queued:
                        queued.add(t)
                        heappush(heap, (tp[t] << shift) | t)
        if top > finish:
            self.finish_idx = top
        elif lowered:
            self.finish_idx = max(ef) if ef else self.start_idx
        # Late dates: only edited actions, their prerequisites, and moved actions with a deadline
        # can change their tail or bound; changes then travel upstream while they last.
        deadline = self.deadline
        seeds = set(changed_set)
        for i in changed_set:
            seeds.update(pn[po[i]:po[i + 1]])
        for i in moved:
            if deadline[i] is not None:
                seeds.add(i)
        tail, bound = self.tail, self.bound
        touched = list(moved)
        top = len(self.ids)
        heap = [((top - tp[i]) << shift) | i for i in seeds]  # latest in topological order first
        heapq.heapify(heap)
        queued = set(seeds)
        while heap:
            i = heappop(heap) & mask
            queued.discard(i)
            # Same rule as _backward_all, inlined.
            st = state[i]
            t = 0
            b = _INF
            if st != DONE:
                dl = deadline[i]
                if dl is not None:
                    b = dl if dl > ef[i] else ef[i]
                sp = span[i]
                for k in range(so[i], so[i + 1]):
                    x = sn[k]
                    if state[x]:
                        continue
                    if sss[k]:
                        if st:
                            continue
                        y = span[x] + slag[k] - sp
                    else:
                        y = span[x] + slag[k] + 1
                    z = tail[x] + y
                    if z > t:
                        t = z
                    z = bound[x] - y
                    if z < b:
                        b = z
            if t != tail[i] or b != bound[i] or i in changed_set:
                tail[i], bound[i] = t, b
                touched.append(i)
                for k in range(po[i], po[i + 1]):
                    p = pn[k]
                    if p not in queued:
                        queued.add(p)
                        heappush(heap, ((top - tp[p]) << shift) | p)
        self._reindex_critical(touched)
