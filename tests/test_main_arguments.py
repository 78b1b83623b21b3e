"""main.py builds only the parser a run needs (issue 13): it must read every command line as the
full parser does, and print the same help and the same errors."""

from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(main.COMMANDS),
       st.lists(st.one_of(st.sampled_from(["p.rcplan", "-", "--", "-p", "--json", "-h", "",
                                           "x y.rcplan", "-5", "--plan", "@args", "é.rcplan",
                                           "A3", "--slip"]),
                          st.text(max_size=6)), max_size=3))
def test_a_command_line_is_read_as_its_parser_reads_it(command, rest):
    """``command_arguments`` reads ``info PLAN`` and ``validate PLAN`` without a parser (issue
    13): the same values, the same refusals, for any command line."""
    argv = [command, *rest]

    def read(how):
        try:
            return "ok", vars(how(argv))
        except SystemExit as stop:
            return "exit", stop.code

    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        expected = read(lambda a: main.command_parser().parse_args(a))
        assert read(main.command_arguments) == expected
