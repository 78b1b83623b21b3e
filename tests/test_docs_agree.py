"""The documents agree with the program: README's command list, the views and ``main.py --help``
(issue 8), and the sample plan's figures, which are written in one place only."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import main
from ui import registry

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command_block() -> str:
    """The ```sh block under README's "Command line" heading."""
    section = README.split("\n## Command line\n", 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0]


def _parser_commands() -> set[str]:
    parser = main.command_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)


def _help() -> str:
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--help"], capture_output=True,
                       text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_readme_lists_every_command_and_no_other():
    listed = set(re.findall(r"^python main\.py ([a-z][a-z0-9-]*)\b", _command_block(), re.M))
    assert listed == _parser_commands() == set(main.COMMANDS)


def test_help_names_every_command_and_every_view():
    text = _help()
    for command in _parser_commands():
        assert command in text, command
    for spec in registry.VIEWS:
        assert re.search(rf"\b{spec.key}\b", text), spec.key


def test_readme_names_the_views_of_the_registry_in_its_order():
    lists = re.findall(r"--view ([a-z]+(?:\|[a-z]+)+)", README)
    assert lists, "README lists the views after --view"
    for found in lists:
        assert found.split("|") == registry.view_keys()


def test_the_sample_plans_figures_are_written_once_and_are_true(doc):
    """sample_plans/README.md holds the figures; other documents link to it, not copy them."""
    plan = doc.plan
    text = (ROOT / "sample_plans" / "README.md").read_text(encoding="utf-8")
    figures = {"actions": len(plan.actions), "dependencies": len(plan.dependencies),
               "people": len(plan.people), "milestones": len(plan.milestones),
               "outcome measures": len(plan.measures), "risks": len(plan.risks)}
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
    for what, n in figures.items():
        assert re.search(rf"\b({n}|{words.get(n, n)}) {what}\b", text), (what, n)
    for doc_path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        body = doc_path.read_text(encoding="utf-8")
        for what in ("actions", "milestones"):
            n = figures[what]
            assert not re.search(rf"\b{n} {what}\b", body), (
                f"{doc_path.name} repeats the sample plan's {n} {what}: link to "
                "sample_plans/README.md instead")
