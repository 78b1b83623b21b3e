"""Recovery Change Planner: open the window, or run a command-line form (see --help)."""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a parser is built: `info PLAN` and `validate PLAN` need none
    import argparse

COMMANDS = ("new", "validate", "info", "import-xlsx", "export-xlsx", "sequence", "impact", "why",
            "export", "export-ics", "export-mspdi", "import-mspdi", "merge", "pack", "merge-pack",
            "backups", "restore")
SAMPLE_PLAN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sample_plans",
                           "northmoor.rcplan")


def _typed_date(text: str) -> date:
    """A date on the command line, read as the window reads it (15/03/2027, 2027-03-15, today)."""
    import argparse

    from planner.dates import parse_date
    from planner.errors import DateError

    try:
        return parse_date(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


class _NotBuilt:
    """Stands in for the sub-parser of a command that is not being run."""

    def add_argument(self, *args, **kwargs) -> None:
        pass


def command_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser for the command-line forms (with ``only``, for that one command: building all
    seventeen cost every command about 10 ms, issue 13; it parses that command the same)."""
    import argparse

    p = argparse.ArgumentParser(prog="main.py",
                                description="Recovery Change Planner command-line forms.")
    sub = p.add_subparsers(dest="command", required=True)
    names: list[str] = []

    def add(name: str, **kwargs):
        names.append(name)
        return sub.add_parser(name, **kwargs) if only in (None, name) else _NotBuilt()

    s = add("new", help="create a plan file")
    s.add_argument("plan")
    s.add_argument("--template", help="starter template, e.g. ten-challenges")
    s = add("validate", help="list problems (exit 0 none, 1 some, 2 unreadable)")
    s.add_argument("plan")
    s = add("info", help="format version, as-of date and counts")
    s.add_argument("plan")
    s.add_argument("--json", action="store_true")
    s = add("import-xlsx", help="create a plan from an Excel workbook")
    s.add_argument("workbook")
    s.add_argument("plan")
    s.add_argument("--force", action="store_true", help="replace an existing plan file")
    s = add("export-xlsx", help="write a plan to an Excel workbook")
    s.add_argument("plan")
    s.add_argument("workbook")
    s = add("sequence", help="schedule, critical path and where to start")
    s.add_argument("plan")
    s.add_argument("--start", action="append", default=[], metavar="C3|A12")
    s.add_argument("--json", action="store_true")
    s = add("impact", help="what moves if an action slips")
    s.add_argument("plan")
    s.add_argument("action")
    s.add_argument("--slip", type=int, required=True, metavar="N")
    s.add_argument("--json", action="store_true")
    s = add("why", help="why a milestone or action has its date")
    s.add_argument("plan")
    s.add_argument("target")
    s = add("export", help="write the board update deck")
    s.add_argument("plan")
    s.add_argument("--pptx", required=True)
    s.add_argument("--template")
    s.add_argument("--as-of", type=_typed_date)
    s.add_argument("--since")
    s.add_argument("--presented", action="store_true",
                   help="this is the deck presented to the board: store a snapshot so the next "
                        "report compares with it")
    s = add("export-ics", help="milestones and governance dates as a calendar file")
    s.add_argument("plan")
    s.add_argument("ics")
    s.add_argument("--owner", metavar="NAME", help="only this person's milestones")
    s = add("export-mspdi", help="write the plan as MS Project XML")
    s.add_argument("plan")
    s.add_argument("xml")
    s = add("import-mspdi", help="create a plan from MS Project XML")
    s.add_argument("xml")
    s.add_argument("plan")
    s.add_argument("--force", action="store_true", help="replace an existing plan file")
    s = add("merge", help="merge another copy of the plan (exit 0 merged, 1 conflicts "
                       "left, 2 refused)")
    s.add_argument("plan")
    s.add_argument("other")
    s.add_argument("--prefer", choices=("mine", "theirs"),
                   help="settle every conflict this way (default: leave them for you)")
    s.add_argument("--dry-run", action="store_true", help="report what would change; change nothing")
    s = add("pack", help="an Excel update pack of one owner's actions and milestones")
    s.add_argument("plan")
    s.add_argument("--owner", required=True, metavar="NAME")
    s.add_argument("out", metavar="OUT.xlsx")
    s = add("merge-pack", help="merge a returned pack or an exported workbook (exit 0 "
                       "applied, 1 conflicts left, 2 refused)")
    s.add_argument("plan")
    s.add_argument("pack", metavar="PACK.xlsx")
    s.add_argument("--prefer", choices=("pack", "plan"),
                   help="settle every conflict this way (default: leave them for you)")
    s.add_argument("--dry-run", action="store_true", help="report what would change; change nothing")
    s = add("backups", help="list the plan's backups (date, size, why taken)")
    s.add_argument("plan")
    s = add("restore", help="put a backup back as the plan (the plan as it is is "
                       "backed up first)")
    s.add_argument("plan")
    s.add_argument("backup", help="a name listed by 'backups', or a path")
    if only is not None:  # its usage line (in some errors) names every command, as the full one
        sub.metavar = "{" + ",".join(names) + "}"
    return p


AS_PROGRAM = __name__ == "__main__"
"""Whether this file runs as the program (``python main.py``) rather than imported (the tests):
the program's window, once closed, leaves at once (``ui.app.leave_now``)."""

FIRST_VIEW = "overview"
"""The view the window shows first unless told (--view) or it remembers another."""


def window_parser() -> argparse.ArgumentParser:
    """The parser for opening the window (its views come from ui/registry.py, which needs no Qt)."""
    import argparse
    import textwrap

    from ui import registry

    about = textwrap.fill("Open the Recovery Change Planner window. Command-line forms: "
                          + ", ".join(COMMANDS) + " (python main.py COMMAND --help).", 79)
    views = "\n".join(textwrap.fill(line, 79, initial_indent="  ", subsequent_indent="    ")
                      for line in registry.help_lines())
    p = argparse.ArgumentParser(prog="main.py", description=about, epilog="views (--view):\n" + views,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("plan", nargs="?", help="plan file (default: the last one, else the sample)")
    p.add_argument("--screenshot", metavar="OUT.png", help="render a view to a PNG and exit")
    p.add_argument("--view", choices=registry.view_keys(), default=FIRST_VIEW,
                   help="the view to show first (or to render with --screenshot)")
    return p


def window_arguments(argv: list[str]) -> argparse.Namespace:
    """The window's arguments: as ``window_parser`` reads them, which with none (``python
    main.py``, a start from the desktop) is not built: that cost every start about 5 ms."""
    import argparse

    if not argv:
        return argparse.Namespace(plan=None, screenshot=None, view=FIRST_VIEW)
    return window_parser().parse_args(argv)


PLAIN_FORMS = {"info": {"json": False}, "validate": {}}
"""Commands whose plainest form, ``COMMAND PLAN``, is read without a parser (``command_arguments``),
with the values their parser gives the options left out."""


def command_arguments(argv: list[str]):
    """A command line read as ``command_parser(argv[0]).parse_args(argv)`` reads it (the same
    values by the same names). ``info PLAN`` and ``validate PLAN``, with a plan not starting
    with "-", are read without importing argparse and building the parser, which cost about
    6 ms of each (issue 13); anything else goes to the parser."""
    if len(argv) == 2 and argv[0] in PLAIN_FORMS and not argv[1].startswith("-"):
        from types import SimpleNamespace

        return SimpleNamespace(command=argv[0], plan=argv[1], **PLAIN_FORMS[argv[0]])
    return command_parser(argv[0]).parse_args(argv)


def _open_plan(path: str):
    from planner.cli import open_plan

    return open_plan(path)


def run_command(args: argparse.Namespace) -> int:
    """Run one command-line form."""
    out = sys.stdout
    if args.command == "new":
        from planner.cli import run_new
        return run_new(args.plan, args.template, out)
    if args.command == "validate":
        from planner.cli import run_validate
        return run_validate(args.plan, out)
    if args.command == "info":
        from planner.cli import run_info
        return run_info(args.plan, args.json, out)
    if args.command == "import-xlsx":
        from planner.cli import run_import_xlsx
        return run_import_xlsx(args.workbook, args.plan, args.force, out)
    if args.command == "export-xlsx":
        from planner.cli import run_export_xlsx
        return run_export_xlsx(args.plan, args.workbook, out)
    if args.command == "export":
        from reports.cli import run_export
        return run_export(args.plan, args.pptx, args.template, args.as_of, args.since, out,
                          presented=args.presented)
    if args.command == "export-ics":
        from reports.cli import run_export_ics
        return run_export_ics(args.plan, args.ics, args.owner, out)
    if args.command == "export-mspdi":
        from reports.cli import run_export_mspdi
        return run_export_mspdi(args.plan, args.xml, out)
    if args.command == "import-mspdi":
        from planner.cli import run_import_mspdi
        return run_import_mspdi(args.xml, args.plan, args.force, out)
    if args.command == "merge":
        from planner.cli import run_merge
        return run_merge(args.plan, args.other, args.prefer, args.dry_run, out)
    if args.command == "pack":
        from planner.cli import run_pack
        return run_pack(args.plan, args.owner, args.out, out)
    if args.command == "merge-pack":
        from planner.cli import run_merge_pack
        return run_merge_pack(args.plan, args.pack, args.prefer, args.dry_run, out)
    if args.command == "backups":
        from planner.cli import run_backups
        return run_backups(args.plan, out)
    if args.command == "restore":
        from planner.cli import run_restore
        return run_restore(args.plan, args.backup, out)
    return run_analysis(args, out)


ANALYSES = ("sequence", "impact", "why")
"""The commands that only read a plan, analyse it and print to the terminal."""


def run_analysis(args: argparse.Namespace, out) -> int:
    """``sequence``, ``impact`` or ``why``: the engine's answers about the plan."""
    from planner.storage import collector_paused

    # Nothing these build needs the cycle collector (the plan's records and the schedule hold
    # no cycles, and the command ends here); walking them cost sequence --json about 12 ms of
    # 0.2 s on 2,000 actions (issue 13). It runs as usual afterwards.
    with collector_paused():
        from graph import cli as graph_cli

        with _open_plan(args.plan) as doc:
            if args.command == "sequence":
                return graph_cli.run_sequence(doc.plan, args.start, args.json, out)
            if args.command == "impact":
                return graph_cli.run_impact(doc.plan, args.action, args.slip, args.json, out)
            return graph_cli.run_why(doc.plan, args.target, out)


def has_display() -> bool:
    """Whether a window can be shown here."""
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_window(args: argparse.Namespace) -> int:
    """Open the window (or render one view to a PNG with --screenshot)."""
    if args.screenshot and not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if not has_display():
        sys.stderr.write(
            "There is no display here, so the window cannot open.\n"
            "Use the command-line forms instead, for example:\n"
            "  python main.py info PLAN\n  python main.py validate PLAN\n"
            "  python main.py sequence PLAN\n  python main.py export PLAN --pptx board.pptx\n"
            "or render a view to a picture: python main.py PLAN --screenshot out.png --view timeline\n")
        return 2
    try:
        from ui.app import run
    except ImportError as exc:
        if "PySide6" in str(exc):
            sys.stderr.write("The window needs PySide6; run the Quick start command in README.md.\n")
            return 2
        raise
    return run(args.plan, screenshot=args.screenshot, view=args.view,
               leave_when_closed=AS_PROGRAM)


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse the arguments and run; user errors print a message, not a traceback."""
    argv = sys.argv[1:] if argv is None else argv
    from planner.errors import NewerVersionError, NotAPlanError, PlanError

    try:
        if argv and argv[0] in COMMANDS:
            return run_command(command_arguments(argv))
        return run_window(window_arguments(argv))
    except (NotAPlanError, NewerVersionError) as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    except PlanError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        sys.stderr.write(f"{exc.strerror or exc}: {exc.filename or ''}\n")
        return 1
    except Exception as exc:  # keep tracebacks off the user's screen; RCP_DEBUG shows them
        if os.environ.get("RCP_DEBUG"):
            raise
        sys.stderr.write(f"Something went wrong inside the program ({type(exc).__name__}: {exc}).\n"
                         "Run again with RCP_DEBUG=1 to see the details, and please report it.\n")
        return 3


READ_ONLY = ("info", "validate")
"""Commands that only read: run as a program, they leave at once when done (``_leave``)."""
COLLECTOR_OFF = ("export",) + READ_ONLY
"""Commands run as a program without the cycle collector from start to exit (``_before_start``)."""


def _before_start(argv: list[str]) -> None:
    """The board deck, run as a program, builds without the cycle collector from start to exit
    (issue 13): its imports, plan and deck hold nothing worth collecting before the process
    ends, and each collection walks every object made since the last, python-pptx's classes
    among them (about 12 ms a full walk); run_export pauses it while the deck is built, but the
    first collection after that walked everything the command had made (about 20 ms of the
    2,000-action deck's 0.4 s). So do ``info`` and ``validate``: the first collection after the
    plan was read walked every record (about 20 ms of info's 0.3 s on 20,000 actions)."""
    if argv[:1] and argv[0] in COLLECTOR_OFF:
        import gc

        gc.disable()


def _before_exit(argv: list[str]) -> None:
    """After a read-only analysis, or the board deck once it is written, the program only
    exits: what is left alive (its modules, classes and caches) is frozen, so the collections
    Python runs as it exits skip it (about 10 ms of sequence's 0.2 s, and 20 ms of the deck's,
    issue 13). The output went to the terminal, which Python flushes on exit whatever the
    collector does, and the deck was written, closed and renamed into place and the plan file
    closed before this runs; other commands that write files are left as they are. ``info``
    and ``validate`` need nothing here: they leave without Python's exit (``_leave``)."""
    if argv[:1] and argv[0] in ANALYSES + ("export",):
        import gc

        gc.freeze()


def _leave(argv: list[str], code: int) -> None:
    """``info`` and ``validate`` only read (read-only open, no lock taken, the file closed before
    this runs), so once their output is flushed the program leaves at once (``os._exit``) instead
    of freeing the plan's records and every module one by one: about 12 ms of validate's 0.5 s on
    20,000 actions (issue 13). The plan they read is kept alive until then (``planner.cli.
    keep_until_exit``) so that it is not freed on the way out either. If flushing fails (output
    piped into a program that stopped reading), the usual exit runs, which reports it as before."""
    if not (argv[:1] and argv[0] in READ_ONLY) or not isinstance(code, int):
        return
    from planner.cli import exit_at_once

    exit_at_once(code)


if __name__ == "__main__":
    _before_start(sys.argv[1:])
    if sys.argv[1:2] and sys.argv[1] in READ_ONLY:
        from planner import cli as _planner_cli

        _planner_cli.keep_until_exit = []
    code = main()
    _before_exit(sys.argv[1:])
    _leave(sys.argv[1:], code)
    sys.exit(code)
