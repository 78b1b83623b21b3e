"""The benchmarks' whole-process figures are the program's own (issue 13: peak memory of
opening alone, apart from generating the test plans)."""

from __future__ import annotations

import sys

import pytest

from bench import timing


def _touched(mb: int) -> bytearray:
    block = bytearray(mb * 1024 * 1024)
    for i in range(0, len(block), 4096):
        block[i] = 1
    return block


def test_peak_memory_is_the_programs_own_not_the_benchmarks():
    # A benchmark holds the plans it generated while it times a program; the program's peak
    # read at least the benchmark's size before (a `python -c pass` read 314 MB).
    held = _touched(200)
    small = timing.whole_process([sys.executable, "-c", "pass"])()
    big = timing.whole_process([sys.executable, "-c",
                                "b = bytearray(120 * 1024 * 1024)\n"
                                "for i in range(0, len(b), 4096): b[i] = 1"])()
    del held
    assert small.peak_mb < 60
    assert 120 < big.peak_mb < 200
    assert big.cpu > small.cpu > 0 and big.wall > 0


def test_a_failing_program_is_not_timed():
    run = timing.whole_process([sys.executable, "-c",
                                "import sys; sys.stderr.write('the plan is damaged'); sys.exit(3)"])
    with pytest.raises(RuntimeError, match="the plan is damaged"):
        run()
    assert timing.whole_process([sys.executable, "-c", "raise SystemExit(1)"], ok=(0, 1))().cpu > 0
