"""Checks a plan against known recovery practice, each worded as the rule it rests on.

These are warnings, not errors: a plan that breaks one can still be saved and scheduled, but a
recovery lead should be able to say why. Each warning names the rule in plain words, then the
records that break it. The window lists them with the other warnings (Overview), and the command
line prints them from ``validate`` and ``sequence``.

How actions are recognised
--------------------------
An action says what kind of step it is through its optional ``tag`` (one of
``planner.model.ACTION_TAGS``; the starter plan sets them). An action with no tag is recognised
from the words of its title, so plans typed by hand or imported from Excel are checked too:

==========================  =====================================================================
tag                          title words used when there is no tag
==========================  =====================================================================
peer-tutor-training          "train" with "tutor" ("Train the college's peer tutors")
co-delivered-course          "co-deliver..." with "course"
hr-readiness                 "HR", "job description" or "occupational health" with "prepare",
                             "ready", "readiness" or "policies"
peer-hire                    "recruit", "hire", "appoint" or "employ" with "peer"
staff-training               "train"/"training" with "staff", "clinical", "every", "all" or
                             "roll out" (and no tutor or trainer)
form-change                  "form"/"forms" with "replace", "new", "introduce" or "change"
ips-fidelity-review          "fidelity" with "independent" or "external"
employment-specialists       "employment specialist"
==========================  =====================================================================

"Comes after" means the action waits, through its chain of dependencies, for the other one. A
form change waits for training properly only through a finish-to-start link, or a start-to-start
link whose lag covers at least :data:`REACH_SHARE` of the training's length (so the training has
reached most staff).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import accumulate, chain, compress, islice, repeat
from operator import add, attrgetter, contains, eq, ne, not_
from typing import Any, Callable

from .model import Action, ActionStatus, MilestoneStatus, Plan
from .rules import live_actions, milestone_challenges

REACH_SHARE = 0.8
"""Share of a training roll-out that must be done before forms or practice change."""

DURATION_TAGS = frozenset({"staff-training"})
"""Tags of the actions whose duration a rule reads (the training a form change waits for through
a start-to-start link): an edit of any other action's duration changes no warning here."""


@dataclass(frozen=True)
class DomainWarning:
    """One break of a practice rule: which rule, the message, the records involved."""

    rule: str
    message: str
    ids: tuple[str, ...] = ()


RULES: dict[str, str] = {
    "tutors_before_courses": "Courses are co-delivered only once the peer tutors who will "
                             "deliver them are recruited and trained.",
    "hr_before_hires": "Peer workers are hired only once HR is ready for peer roles (job "
                       "descriptions, policies, occupational health, supervision).",
    "training_before_forms": "Forms and records change only once training has reached most "
                             f"staff ({round(REACH_SHARE * 100)}% of the roll-out).",
    "specialists_before_review": "An independent IPS fidelity review comes once employment "
                                 "specialists are working in teams.",
    "cumulative_run_chart": "A running total always rises, so it belongs on a run chart, not an "
                            "XmR chart with process limits.",
    "rate_denominator": "A rate says what it is per (its denominator), or two figures cannot be "
                        "compared.",
    "coproduced_action": "Every challenge has at least one action co-produced with people with "
                         "lived experience.",
    "one_milestone_one_rag": "A milestone counts in one challenge's rating: one slip should not "
                             "turn two challenges amber or red.",
}
"""Each rule's plain words, by key (shown with every warning)."""

_TITLE_PATTERNS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    # tag, all of these patterns must match, none of these may match
    ("peer-tutor-training", (r"\btrain(ing)?\b", r"tutor"), (r"\brecruit",)),
    ("co-delivered-course", (r"co-?deliver", r"course"), ()),
    ("hr-readiness", (r"\bhr\b|human resources|job descriptions?|occupational health",
                      r"prepar|ready|readiness|polic"), ()),
    ("peer-hire", (r"recruit|\bhire|appoint|\bemploy\b", r"\bpeer"), ()),
    ("staff-training", (r"\btrain(ing)?\b", r"staff|clinical|every|\ball\b|roll out|roll-out"),
     (r"tutor|trainer",)),
    ("form-change", (r"\bforms?\b", r"replac|\bnew\b|introduc|change"), ()),
    ("ips-fidelity-review", (r"fidelity", r"independent|external"), ()),
    ("employment-specialists", (r"employment specialist",), ()),
]


def action_tag(action: Action) -> str:
    """What kind of step an action is: its tag, else one recognised from its title, else ""."""
    if action.tag:
        return action.tag
    return _title_tag(action.title.lower())


def action_tags(actions: list[Action]) -> dict[str, str]:
    """Each action's tag (``action_tag``) by id, the same as asking each action in turn.

    Only titles holding, for every pattern a tag needs, one of the words that pattern cannot
    match without (``_required_words``) are tried against that tag's patterns. Each tag's
    patterns are narrowed in turn, the one with the fewest (then longest) words first, and a
    pattern after the first is asked only of the titles still in question when they are few:
    a big plan's titles mostly match no tag, and most tags are settled by one scan that finds
    no title (20,000 actions took about 67,000 searches, then 21 scans of every title; issue
    13).
    """
    ids = list(map(_ID, actions))
    tags = list(map(_TAG, actions))
    untagged = list(map(not_, tags))
    lowered = list(map(str.lower, map(_TITLE, compress(actions, untagged))))
    tag_of = _title_tags(list(dict.fromkeys(lowered)))
    found = dict(zip(ids, tags))
    if len(found) != len(ids):  # two actions with one id: the last one's tag, as in turn
        return {a.id: a.tag or tag_of.get(a.title.lower(), "") for a in actions}
    found.update(zip(compress(ids, untagged), map(tag_of.get, lowered, repeat(""))))
    return found


def _title_tags(titles: list[str]) -> dict[str, str]:
    """The tag of each (lower-case, distinct) title that gets one (``_title_tag``).

    The words are found with one scan of all the titles joined by line breaks (no pattern's
    words hold a line break, so what is found lies inside one title)."""
    text = "\n".join(titles)
    starts = list(accumulate(map(add, map(len, titles), repeat(1)), initial=0))
    holding: dict[str, set[int]] = {}

    def having(word: str) -> set[int]:
        """The titles (by position) holding ``word``."""
        found = holding.get(word)
        if found is None:
            found = holding[word] = set()
            at = text.find(word)
            while at >= 0:
                i = bisect.bisect_right(starts, at) - 1
                found.add(i)
                at = text.find(word, starts[i + 1])
        return found

    tag_of: dict[str, str] = {}
    for tag, need, avoid in _compiled_patterns()[0]:
        maybe: set[int] | None = None  # None: every title
        narrowing = filter(None, (_required_words(p.pattern) for p in need))
        for words in sorted(narrowing, key=lambda w: (len(w), -min(map(len, w)))):
            if maybe is None:
                maybe = set().union(*map(having, words))
            elif len(maybe) * 3 < len(titles):  # a few left: ask each of them
                left = sorted(maybe)
                held = list(map(titles.__getitem__, left))
                maybe = set().union(*(compress(left, map(contains, held, repeat(w)))
                                      for w in words))
            else:
                maybe = set().union(*map(having, words)).intersection(maybe)
            if not maybe:
                break
        for i in sorted(range(len(titles)) if maybe is None else maybe):
            title = titles[i]
            if (title not in tag_of and all(p.search(title) for p in need)
                    and not any(p.search(title) for p in avoid)):
                tag_of[title] = tag
    return tag_of


_ID = attrgetter("id")
_TAG = attrgetter("tag")
_TITLE = attrgetter("title")
_COPRODUCED = attrgetter("coproduced")
_CHALLENGES = attrgetter("challenges")


@functools.lru_cache(maxsize=None)
def _required_words(pattern: str) -> tuple[str, ...] | None:
    """Words of which every text ``pattern`` matches holds one (None when that is not known).

    Read from the pattern itself: the letters each alternative starts with, up to the first
    thing that is not a plain letter (word boundaries are passed over: they match no letter).
    """
    from re import _parser  # the pattern parser of the re module itself

    try:
        parsed = list(_parser.parse(pattern))
    except Exception:  # noqa: BLE001 - an unknown shape is simply not narrowed
        return None
    branches = (parsed[0][1][1] if len(parsed) == 1 and parsed[0][0] is _parser.BRANCH
                else [parsed])
    words = []
    for branch in branches:
        word = ""
        for op, value in branch:
            if op is _parser.AT:
                continue
            if op is not _parser.LITERAL:
                break
            word += chr(value)
        if not word:
            return None
        words.append(word)
    return tuple(words)


def _title_tag(title: str) -> str:
    """The tag recognised from a (lower-case) title."""
    patterns, any_first = _compiled_patterns()
    if any_first.search(title) is None:
        return ""  # no tag's first pattern matches: no tag can (one search instead of ~30)
    for tag, need, avoid in patterns:
        if all(p.search(title) for p in need) and not any(p.search(title) for p in avoid):
            return tag
    return ""


@functools.lru_cache(maxsize=1)
def _compiled_patterns() -> tuple[list[tuple[str, list[re.Pattern], list[re.Pattern]]],
                                  re.Pattern]:
    """Each tag's patterns compiled, and one pattern matching wherever any tag's first does."""
    patterns = [(tag, [re.compile(p) for p in need], [re.compile(p) for p in avoid])
                for tag, need, avoid in _TITLE_PATTERNS]
    any_first = re.compile("|".join(f"(?:{need[0]})" for _tag, need, _avoid in _TITLE_PATTERNS))
    return patterns, any_first


def _live(plan: Plan) -> list[Action]:
    return live_actions(plan.actions.values())


def _live_stored(plan: Plan, stored: dict[str, tuple] | None
                 ) -> tuple[list[Action], dict[str, Any] | None]:
    """The live actions (``rules.live_actions``) and, given the actions' stored columns, the
    live ones' ids, tags and titles in order (None without them)."""
    if stored is None:
        return _live(plan), None
    live = list(map(ne, stored["status"], repeat(ActionStatus.CANCELLED)))
    return (list(compress(plan.actions.values(), live)),
            {name: list(compress(stored[name], live)) for name in ("id", "tag", "title")})


def _needs(plan: Plan, stored: dict[str, tuple] | None = None
           ) -> dict[str, list[tuple[str, str, int]]]:
    """Each action's links (needs, type, lag) by the action that waits; ``stored``: the links'
    stored columns (``codec.stored_columns``), where their fields are read."""
    out: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    if stored is not None:
        waiting = stored["action"]
        links = zip(stored["needs"], stored["type"], stored["lag"])
    else:
        deps = plan.dependencies.values()
        waiting = map(attrgetter("action"), deps)
        links = map(attrgetter("needs", "type", "lag"), deps)
    for action, link in zip(waiting, links):
        out[action].append(link)
    return out


def _waits_for(plan: Plan, needs: dict, start: str, targets: set[str],
               lag_share: float | None = None) -> bool:
    """Whether action ``start`` waits, through its chain of dependencies, for one of ``targets``.

    With ``lag_share``, the link that reaches a target must be finish-to-start, or
    start-to-start with a lag of at least that share of the target's duration.
    """
    seen = {start}
    stack = [start]
    while stack:
        here = stack.pop()
        for other, kind, lag in needs.get(here, ()):
            if other in targets:
                if lag_share is None or kind == "FS":
                    return True
                target = plan.actions.get(other)
                if target is not None and lag >= lag_share * target.duration:
                    return True
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return False


def _names(actions: list[Action]) -> str:
    return ", ".join(f"{a.id} '{a.title}'" for a in actions)


def _sequence_rule(plan: Plan, needs: Callable[[], dict], rule: str, later_tag: str,
                   earlier_tag: str, missing: str, lag_share: float | None = None,
                   same_challenge: bool = False,
                   tagged: dict[str, list[Action]] | None = None) -> list[DomainWarning]:
    """One 'B comes after A' rule; ``needs()`` gives each action's links, ``tagged`` the live
    actions of each tag in plan order."""
    if tagged is None:
        tagged = _tagged(_live(plan))
    later = tagged.get(later_tag, [])
    earlier_all = tagged.get(earlier_tag, [])
    out = []
    for a in later:
        earlier = earlier_all
        if same_challenge:
            earlier = [e for e in earlier_all if set(e.challenges) & set(a.challenges)]
        if not earlier:
            out.append(DomainWarning(rule, f"{RULES[rule]} {a.id} '{a.title}' {missing}",
                                     (a.id,)))
            continue
        if not _waits_for(plan, needs(), a.id, {e.id for e in earlier}, lag_share):
            how = " (or only a short way into it)" if lag_share else ""
            out.append(DomainWarning(
                rule, f"{RULES[rule]} {a.id} '{a.title}' does not wait for "
                      f"{_names(earlier[:2])}{how}.", (a.id,) + tuple(e.id for e in earlier[:2])))
    return out


def _looks_cumulative(plan: Plan, m) -> bool:
    name = m.name.lower()
    if re.search(r"so far|to date|cumulative|running total", name):
        return True
    values = [r.value for r in plan.readings_of(m.id)]
    if len(values) >= 8 and re.search(r"trained|completed|reviewed", name):
        return all(b >= a for a, b in zip(values, values[1:]))
    return False


def _tagged(live: list[Action], stored: dict[str, Any] | None = None
            ) -> dict[str, list[Action]]:
    """Live actions grouped by tag, in plan order (each action's tag found once: recognising
    it from the title takes regular expressions; issue 13). Actions with no tag are left out:
    no rule asks for them. ``stored``: the live actions' ids, tags and titles, in order."""
    each = _tags_in_order(live, stored)
    kinds = set(each)
    out: dict[str, list[Action]] = defaultdict(list)
    if len(kinds) > 16:  # many odd tags: one pass over the actions
        for a, tag in zip(live, each):
            out[tag].append(a)
        return out
    for tag in kinds:  # the rules ask only for tags: actions with none are not grouped
        if tag:
            out[tag] = list(compress(live, map(eq, each, repeat(tag))))
    return out


def _tags_in_order(actions: list[Action], stored: dict[str, Any] | None = None) -> list:
    """Each action's tag as ``action_tags`` gives it by id, in the actions' order: when no two
    actions share an id, straight from their tags and titles, without building the mapping by
    id and looking each one up in it (issue 13). ``stored``: the actions' ids, tags and titles,
    in order (from the stored columns: no look-up of each action's fields)."""
    ids = list(stored["id"] if stored else map(_ID, actions))
    try:
        twins = len(set(ids)) != len(ids)
    except TypeError:  # an id that cannot be a key: as action_tags says
        twins = True
    if twins:
        tags = action_tags(actions)
        return list(map(tags.__getitem__, ids))
    tags = list(stored["tag"] if stored else map(_TAG, actions))
    untagged = list(map(not_, tags))
    titles = stored["title"] if stored else map(_TITLE, actions)
    lowered = list(map(str.lower, compress(titles, untagged)))
    tag_of = _title_tags(list(dict.fromkeys(lowered)))
    from_titles = map(tag_of.get, lowered, repeat(""))
    if len(lowered) == len(tags):  # no action tagged (a plan typed by hand): each from its title
        return list(from_titles)
    return [tag if tag else next(from_titles) for tag in tags]


def serving(live: list[Action], numbers) -> dict:
    """For each challenge number of ``numbers``, the actions of ``live`` serving it (``number in
    a.challenges``), in plan order, from one pass over the actions (``rules.challenge_actions``
    of each number, given the live actions; also the Overview's, ``graph.overview_memo``)."""
    out: dict = {n: [] for n in numbers}
    try:
        for a in live:
            for n in a.challenges:
                got = out.get(n)
                if got is not None and (not got or got[-1] is not a):
                    got.append(a)
        return out
    except TypeError:  # a challenge that cannot be a key: ask each number of each action
        return {n: [a for a in live if n in a.challenges] for n in numbers}


def _served_coproduced(live: list[Action]) -> set | None:
    """The challenge numbers some co-produced action of ``live`` serves (None when unsure):
    ``coproduced_action`` finds nothing to say of them, so the actions serving each challenge
    (``serving``, a pass over every action's challenges) are gathered only when some challenge
    is not among them (issue 13)."""
    try:
        return set(chain.from_iterable(compress(map(_CHALLENGES, live),
                                                map(_COPRODUCED, live))))
    except TypeError:  # a challenge that cannot be a key: each challenge is asked
        return None


def _serving_of(live: list[Action], numbers: list) -> dict:
    """For each of ``numbers`` that some action of ``live`` serves, how many do and the first
    three, as ``serving(live, numbers)`` gives them. When every challenge an action names and
    every one of ``numbers`` is a whole number (so a dict keyed by them finds what ``in``
    finds), the actions are counted with C-level passes (each distinct list of challenges
    counted once, then each of its numbers once for every action naming it) and only the
    first three are looked for, instead of a loop over every action's challenges (issue 13)."""
    try:
        lists = list(map(_CHALLENGES, live))
        # each distinct list of challenges once, with how many actions name it (a big plan's
        # actions share a few such lists: no set of its own for each action)
        shapes = Counter(map(tuple, lists))
        if (_ONLY_INT.issuperset(map(type, numbers))
                and _ONLY_INT.issuperset(map(type, chain.from_iterable(shapes)))):
            counts: Counter = Counter()
            for shape, actions in shapes.items():
                for n in dict.fromkeys(shape):
                    counts[n] += actions
            return {n: (counts[n], list(islice(compress(live, map(contains, lists, repeat(n))),
                                               3)))
                    for n in numbers if counts[n]}
    except TypeError:  # not lists: as serving says
        pass
    return {n: (len(acts), acts[:3]) for n, acts in serving(live, numbers).items()}


_ONLY_INT = frozenset({int})


def domain_warnings(plan: Plan, *, columns: dict[str, dict[str, tuple]] | None = None
                    ) -> list[DomainWarning]:
    """Every break of a practice rule in the plan (see :data:`RULES`).

    ``columns``: the stored columns of the plan as read (``codec.stored_columns``), where the
    actions' and links' text and whole-number fields are read instead of from each record."""
    found: list[dict] = []
    columns = columns or {}

    def needs() -> dict:  # each action's links, worked out when a rule first needs them
        if not found:
            found.append(_needs(plan, columns.get("dependency")))
        return found[0]

    live, stored = _live_stored(plan, columns.get("action"))
    tagged = _tagged(live, stored)
    out: list[DomainWarning] = []
    out += _sequence_rule(plan, needs, "tutors_before_courses", "co-delivered-course",
                          "peer-tutor-training", "has no action that trains its peer tutors.",
                          tagged=tagged)
    out += _sequence_rule(plan, needs, "hr_before_hires", "peer-hire", "hr-readiness",
                          "has no action that makes HR ready for peer roles.", tagged=tagged)
    out += _sequence_rule(plan, needs, "training_before_forms", "form-change", "staff-training",
                          "has no staff training in its challenge to wait for.",
                          lag_share=REACH_SHARE, same_challenge=True, tagged=tagged)
    out += _sequence_rule(plan, needs, "specialists_before_review", "ips-fidelity-review",
                          "employment-specialists",
                          "has no action that places employment specialists in teams.",
                          tagged=tagged)
    for m in plan.measures.values():
        if m.measure_type != "cumulative" and _looks_cumulative(plan, m):
            out.append(DomainWarning(
                "cumulative_run_chart",
                f"{RULES['cumulative_run_chart']} Measure {m.id} '{m.name}' looks like a running "
                "total but is charted with limits: set its type to cumulative to show it on a "
                "run chart.", (m.id,)))
        if m.measure_type == "rate" and not m.denominator.strip():
            out.append(DomainWarning(
                "rate_denominator",
                f"{RULES['rate_denominator']} Measure {m.id} '{m.name}' is a rate with no "
                "denominator: say what it is per (e.g. 'per 1,000 occupied bed days').", (m.id,)))
    served = _served_coproduced(live)
    if served is not None:  # the actions serving each challenge no co-produced action serves
        left = [n for n in plan.challenges if n not in served]
        counted = _serving_of(live, left) if left else {}
    else:
        every = serving(live, plan.challenges)
    for number, challenge in sorted(plan.challenges.items()):
        if served is not None:
            if number in served:
                continue  # a co-produced action serves it
            count, first = counted.get(number, (0, []))  # none of them is co-produced
        else:
            acts = every.get(number, [])
            if any(map(_COPRODUCED, acts)):
                continue
            count, first = len(acts), acts[:3]
        if count:
            out.append(DomainWarning(
                "coproduced_action",
                f"{RULES['coproduced_action']} Challenge {number}, {challenge.title}, has "
                f"{count} action{'s' if count != 1 else ''} and none is co-produced.",
                tuple(a.id for a in first)))
    for m in plan.milestones.values():
        if m.status == MilestoneStatus.CANCELLED:
            continue
        chs = milestone_challenges(plan, m)
        if len(chs) >= 2:
            listed = ", ".join(str(n) for n in chs[:-1]) + f" and {chs[-1]}"
            out.append(DomainWarning(
                "one_milestone_one_rag",
                f"{RULES['one_milestone_one_rag']} Milestone {m.id} '{m.title}' counts in the "
                f"ratings of challenges {listed}: link it to an action filed under one "
                "challenge.", (m.id,)))
    return out


def domain_messages(plan: Plan, *, columns: dict[str, dict[str, tuple]] | None = None
                    ) -> list[str]:
    """The warnings' messages, for the command line (``columns``: as ``domain_warnings``)."""
    return [w.message for w in domain_warnings(plan, columns=columns)]
