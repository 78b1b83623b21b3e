"""Timing shared by the benchmarks: wall and CPU time, against a floor measured in the same run.

The machine the benchmarks run on may be busy with other work, so a wall-clock figure alone cannot
tell a slower product from a busier machine. Every figure here is therefore

* measured as **wall and CPU time** (CPU time, user + system, is disturbed far less by other
  programs; for a whole process it is the child's own rusage);
* compared with its **floor**, the library doing the bare minimum of the same work, measured in
  the **same run in alternating pairs** (ours, floor, ours, floor, ...) so that both see the same
  load; the figure kept is the **best of N** of each, and the ratio is best / best.

    from bench.timing import compare, in_process, whole_process
    c = compare(in_process(lambda: ours()), in_process(lambda: floor()), repeat=5)
    print(c.line("open 20,000 actions", "sqlite3 reading every row"))
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Sample:
    """One run: wall and CPU seconds, and peak memory in MB when it was a whole process."""

    wall: float
    cpu: float
    peak_mb: float | None = None


@dataclass
class Timing:
    """Several runs of the same thing."""

    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        """Best wall-clock seconds."""
        return min(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        """Best CPU seconds."""
        return min(s.cpu for s in self.samples)

    @property
    def median(self) -> float:
        """Median wall-clock seconds."""
        return statistics.median(s.wall for s in self.samples)

    @property
    def peak_mb(self) -> float | None:
        """Largest peak memory of the runs (whole processes only)."""
        peaks = [s.peak_mb for s in self.samples if s.peak_mb is not None]
        return max(peaks) if peaks else None

    def text(self) -> str:
        """'0.123 s wall, 0.110 s CPU' (best of N)."""
        return f"{_secs(self.wall)} wall, {_secs(self.cpu)} CPU"


@dataclass
class Comparison:
    """Ours against its floor, measured in alternating pairs."""

    ours: Timing
    floor: Timing

    @property
    def ratio(self) -> float:
        """Best wall / best wall."""
        return self.ours.wall / self.floor.wall

    @property
    def cpu_ratio(self) -> float:
        """Best CPU / best CPU."""
        return self.ours.cpu / self.floor.cpu if self.floor.cpu > 0 else float("inf")

    def line(self, what: str, floor: str, target: float | None = None) -> str:
        """One printed line: both timings, both ratios and the target if there is one."""
        n = len(self.ours.samples)
        verdict = ""
        if target is not None:
            verdict = (f"  target <= {target:g}x: {met(self.cpu_ratio <= target)} on CPU, "
                       f"{met(self.ratio <= target)} on wall")
        return (f"{what}: {self.ours.text()}\n"
                f"    floor ({floor}): {self.floor.text()}\n"
                f"    ratio {self.ratio:.2f}x wall, {self.cpu_ratio:.2f}x CPU "
                f"(best of {n} alternating pairs){verdict}")


def met(ok: bool) -> str:
    """The verdict every benchmark prints: met or NOT met."""
    return "met" if ok else "NOT met"


def _secs(s: float) -> str:
    return f"{s * 1000:7.1f} ms" if s < 1 else f"{s:7.2f} s "


def in_process(fn: Callable[[], object]) -> Callable[[], Sample]:
    """A runner timing ``fn()`` in this process (wall and this process's CPU time)."""
    def run() -> Sample:
        w, c = time.perf_counter(), time.process_time()
        fn()
        return Sample(time.perf_counter() - w, time.process_time() - c)
    return run


def child_env(**extra: str) -> dict[str, str]:
    """The environment for timed child processes: this one, with Python's bytecode cache on.

    A user's ``python main.py`` reads compiled ``.pyc`` files after its first run; a shell with
    PYTHONDONTWRITEBYTECODE set would recompile every module on every start and time the
    compiler instead of the program.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


_LAUNCH = """\
import os, sys, time
report = int(sys.argv[1])
os.set_inheritable(report, False)
w = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_pid, status, ru = os.wait4(pid, 0)
w = time.perf_counter() - w
os.write(report, f"{w!r} {ru.ru_utime + ru.ru_stime!r} {ru.ru_maxrss}".encode())
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""
"""What ``whole_process`` runs the timed program under: a bare ``python -S -E`` that starts it
and reports the program's own wall time, CPU time and peak memory on a pipe of its own.

Why not start the program straight from the benchmark: on Linux a program's peak memory
(``ru_maxrss``) starts from that of the process it replaced when it began, and a child of the
benchmark began as a copy of the benchmark, which holds the plans it generated (tens to
hundreds of MB). Every peak a benchmark printed was therefore at least the benchmark's own
size: a ``python -c pass`` read 314 MB from a benchmark holding 300 MB. Started from this
launcher, whose own peak is about 9 MB, a program's peak is its own wherever it is above that."""


def whole_process(argv: list[str], *, cwd: Path = ROOT, env: dict | None = None,
                  stdout=subprocess.DEVNULL, ok: tuple[int, ...] = (0,)) -> Callable[[], Sample]:
    """A runner timing a whole child process: wall time, its CPU time and its peak memory,
    each the program's own (see ``_LAUNCH``).

    An exit code outside ``ok`` raises (a benchmark must not time a failure).
    """
    env = child_env() if env is None else env
    program = [str(a) for a in argv]

    def run() -> Sample:
        report_r, report_w = os.pipe()
        try:
            proc = subprocess.Popen([PYTHON, "-S", "-E", "-c", _LAUNCH, str(report_w), *program],
                                    cwd=cwd, env=env, stdout=stdout, stderr=subprocess.PIPE,
                                    pass_fds=(report_w,))
        finally:
            os.close(report_w)
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        proc.wait()
        if proc.stderr:
            proc.stderr.close()
        with os.fdopen(report_r, "rb") as f:
            report = f.read().split()
        if proc.returncode not in ok or len(report) != 3:
            raise RuntimeError(f"{' '.join(map(str, argv))} failed ({proc.returncode}): {err[-2000:]}")
        wall, cpu, peak_kb = report
        return Sample(float(wall), float(cpu), int(peak_kb) / 1024)
    return run


def python(*args: str) -> list[str]:
    """argv running this interpreter (the project's virtual environment) with ``args``."""
    return [PYTHON, *args]


def measure(runner: Callable[[], Sample], repeat: int = 5) -> Timing:
    """Run ``runner`` ``repeat`` times."""
    return Timing([runner() for _ in range(repeat)])


def compare(ours: Callable[[], Sample], floor: Callable[[], Sample], repeat: int = 5,
            warm: bool = True) -> Comparison:
    """Alternate ours and the floor ``repeat`` times each (after one untimed warm-up of each)."""
    if warm:
        ours(), floor()
    a, b = Timing(), Timing()
    for _ in range(repeat):
        a.samples.append(ours())
        b.samples.append(floor())
    return Comparison(a, b)


def load_note() -> str:
    """The machine's load average and core count, printed with the figures."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:  # pragma: no cover - not on every system
        return ""
    return f"(load average {one:.1f} / {five:.1f} on {os.cpu_count()} cores while measuring)"


def run_sizes(doc: str, bench: Callable[[int, int], None], argv: list[str], *,
              sizes: tuple[int, ...] = (2_000, 20_000), repeat: int = 5) -> int:
    """The common command line of the size benchmarks: ``--quick`` (first size only) and
    ``--repeat N``; runs ``bench(size, repeat)`` for each size after printing the load."""
    import argparse

    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help=f"only the {sizes[0]:,}-action plan")
    ap.add_argument("--repeat", type=int, default=repeat, help="alternating pairs per figure")
    args = ap.parse_args(argv)
    print("Best of N alternating pairs, wall and CPU time " + load_note())
    for n in sizes[:1] if args.quick else sizes:
        bench(n, args.repeat)
    return 0


BENCH_ORGANISATION = "Recovery Change Planner benchmarks"
BENCH_APPLICATION = "Recovery Change Planner (benchmarks)"
_USER_FILES = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "RCP_BACKUP_DIR")


@contextlib.contextmanager
def own_settings() -> Iterator[Path]:
    """Run a benchmark without touching the user's own settings or files (issue 10, item 5).

    Qt settings go under a benchmark-only organisation and application name (the recent-files
    list, last plan, last view and window layout of the user are never read or written), and the
    data folder (the copied sample), backups and XDG config go into a temporary folder, removed
    afterwards. Everything is put back on leaving, so it nests and can wrap a single helper.
    """
    import tempfile

    try:
        from PySide6.QtCore import QCoreApplication
    except ImportError:  # a core-only benchmark without Qt installed
        QCoreApplication = None  # noqa: N806
    saved_env = {k: os.environ.get(k) for k in _USER_FILES}
    names = ((QCoreApplication.organizationName(), QCoreApplication.applicationName())
             if QCoreApplication is not None else None)
    with tempfile.TemporaryDirectory(prefix="rcp-bench-") as tmp:
        os.environ.update(XDG_DATA_HOME=f"{tmp}/data", XDG_CONFIG_HOME=f"{tmp}/config",
                          RCP_BACKUP_DIR=f"{tmp}/backups")
        if QCoreApplication is not None:
            QCoreApplication.setOrganizationName(BENCH_ORGANISATION)
            QCoreApplication.setApplicationName(BENCH_APPLICATION)
        try:
            yield Path(tmp)
        finally:
            for key, value in saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            if names is not None:
                QCoreApplication.setOrganizationName(names[0])
                QCoreApplication.setApplicationName(names[1])


def with_own_settings(fn: Callable) -> Callable:
    """Decorator: ``fn`` runs inside ``own_settings()``."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with own_settings():
            return fn(*args, **kwargs)

    return wrapper
