"""main.py builds only the parser a run needs (issue 13): it must read every command line as the
full parser does, and print the same help and the same errors."""

from __future__ import annotations

import pytest

import main

EXAMPLES = {
    "new": [["p.rcplan"], ["p.rcplan", "--template", "ten-challenges"]],
    "validate": [["p.rcplan"]],
    "info": [["p.rcplan", "--json"]],
    "import-xlsx": [["w.xlsx", "p.rcplan", "--force"]],
    "export-xlsx": [["p.rcplan", "w.xlsx"]],
    "sequence": [["p.rcplan"], ["p.rcplan", "--json", "--start", "C3", "--start", "A12"]],
    "impact": [["p.rcplan", "A3", "--slip", "5", "--json"]],
    "why": [["p.rcplan", "M2"]],
    "export": [["p.rcplan", "--pptx", "b.pptx", "--as-of", "2027-03-15", "--presented"]],
    "export-ics": [["p.rcplan", "c.ics", "--owner", "Asha Patel"]],
    "export-mspdi": [["p.rcplan", "p.xml"]],
    "import-mspdi": [["p.xml", "p.rcplan"]],
    "merge": [["p.rcplan", "q.rcplan", "--prefer", "theirs", "--dry-run"]],
    "pack": [["p.rcplan", "--owner", "Asha Patel", "pack.xlsx"]],
    "merge-pack": [["p.rcplan", "pack.xlsx", "--prefer", "plan"]],
    "backups": [["p.rcplan"]],
    "restore": [["p.rcplan", "2027-03-15.rcplan"]],
}


def test_every_command_has_examples():
    assert set(EXAMPLES) == set(main.COMMANDS)


@pytest.mark.parametrize("command", main.COMMANDS)
def test_one_commands_parser_reads_its_command_lines_as_the_full_parser(command):
    for rest in EXAMPLES[command]:
        argv = [command, *rest]
        assert main.command_parser(command).parse_args(argv) == main.command_parser().parse_args(argv)


@pytest.mark.parametrize("command", main.COMMANDS)
@pytest.mark.parametrize("rest", [["--help"], [], ["p.rcplan", "--no-such-option"]])
def test_one_commands_parser_prints_the_same_help_and_errors(command, rest, capsys):
    said = []
    for parser in (main.command_parser(command), main.command_parser()):
        with pytest.raises(SystemExit) as stop:
            parser.parse_args([command, *rest])
        out = capsys.readouterr()
        said.append((stop.value.code, out.out, out.err))
    assert said[0] == said[1]
    assert said[0][1] or said[0][2]


def test_the_window_with_no_arguments_is_what_its_parser_reads():
    assert main.window_arguments([]) == main.window_parser().parse_args([])
    assert main.window_arguments(["p.rcplan", "--view", "timeline"]) == \
        main.window_parser().parse_args(["p.rcplan", "--view", "timeline"])
