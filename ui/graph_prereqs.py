"""The Graph view's keyboard route to a link: the "waits for" list of prerequisites.

Every action but the cancelled, by id and title; after an edit only the actions that came, went
or were renamed are put in or taken out.
"""

from __future__ import annotations

from bisect import bisect_left

from planner.model import ActionStatus
from ui.view_common import chosen_action, id_key


class GraphPrerequisites:
    """The part of the Graph view that keeps its prerequisite list (``needs_combo``) and adds a
    link from it. Mixed into ``GraphView``."""

    def _add_link_from_form(self) -> None:
        action = self.context.selected_action
        if not action:
            self.context.refuse("Select the action that should wait first.")
            return
        needs, why_not = self._chosen_prerequisite()
        if needs is None:
            self.context.refuse(why_not)
        else:
            self.add_link(needs, action)

    def _chosen_prerequisite(self) -> tuple[str | None, str]:
        """The action the prerequisite box names, or None and why not (``chosen_action``)."""
        plan = self.context.plan
        return chosen_action(self.needs_combo, getattr(self, "_combo_text", {}),
                             lambda aid: plan.actions[aid].title)

    def _refill_needs_combo(self) -> None:
        self._sync_needs_combo(self.context.plan, refill=True)

    def _sync_needs_combo(self, plan, refill: bool = False, names=None) -> None:
        """The prerequisite list: every action, shown or not (a done one can still be waited
        for), but the cancelled, by id. Only actions that came, went or were renamed are put in
        or taken out (of ``names`` only, when given), unless ``refill`` or many changed."""
        combo = self.needs_combo
        have = getattr(self, "_combo_text", None)
        actions = plan.actions if plan is not None else {}
        if names is not None and have is not None and not refill and combo.count() == len(have):
            want = dict(have)
            for aid in names:
                a = actions.get(aid)
                if a is None or a.status == ActionStatus.CANCELLED:
                    want.pop(aid, None)
                else:
                    want[aid] = f"{aid}  {a.title}"
            changed = [aid for aid in names if want.get(aid) != have.get(aid)]
            gone = [aid for aid in changed if aid in have]
            new = [aid for aid in changed if aid in want]
        else:
            want = {aid: f"{aid}  {a.title}" for aid, a in actions.items()
                    if a.status != ActionStatus.CANCELLED}
            if have is None or refill or combo.count() != len(have):
                have = None
            else:
                gone = [aid for aid, text in have.items() if want.get(aid) != text]
                new = [aid for aid, text in want.items() if have.get(aid) != text]
        if have is not None and len(gone) + len(new) > 200:
            have = None
        combo.blockSignals(True)
        try:
            if have is None:
                order = sorted(want, key=id_key)
                combo.clear()
                for aid in order:
                    combo.addItem(want[aid], aid)
                combo.setCurrentIndex(-1)
            elif gone or new:
                order = self._combo_order
                keys = self._combo_keys
                for aid in gone:
                    i = bisect_left(keys, id_key(aid))
                    del order[i], keys[i]
                    combo.removeItem(i)
                for aid in new:
                    k = id_key(aid)
                    i = bisect_left(keys, k)
                    order.insert(i, aid)
                    keys.insert(i, k)
                    combo.insertItem(i, want[aid], aid)
        finally:
            combo.blockSignals(False)
        if have is None:
            self._combo_order = order
            self._combo_keys = [id_key(a) for a in order]
        self._combo_text = want

    def _retitle_needs_combo(self, plan, touched: dict[str, set[str]]) -> None:
        """The prerequisite list names each action by its title: follow a renamed one."""
        combo = self.needs_combo
        for aid, fields in touched.items():
            if "title" in fields and aid in plan.actions:
                i = combo.findData(aid)
                if i >= 0:
                    text = f"{aid}  {plan.actions[aid].title}"
                    combo.setItemText(i, text)
                    self._combo_text[aid] = text
