"""The plan core's command-line forms, run as a user would run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from planner.document import PlanDocument
from plan_factory import small_plan

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(*args, cwd=None):
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def test_new_then_info_json(tmp_path):
    path = tmp_path / "p.rcplan"
    r = run("new", str(path))
    assert r.returncode == 0, r.stderr
    r = run("info", str(path), "--json")
    info = json.loads(r.stdout)
    assert info["challenges"] == 10 and info["actions"] == 0
    assert set(info) == {"schema_version", "as_of", "actions", "dependencies", "milestones",
                         "measures", "readings", "people", "assessments", "challenges"}


def test_info_names_the_status_date_as_the_window_writes_it(tmp_path):
    """info printed "as of 2026-11-20" where the window's header says "Status date (as of):
    20 Nov 2026" and every slide "Status as of 20 Nov 2026"; --json keeps the ISO date."""
    import shutil

    path = tmp_path / "northmoor.rcplan"
    shutil.copy(os.path.join(ROOT, "sample_plans", "northmoor.rcplan"), path)
    r = run("info", str(path))
    assert r.returncode == 0, r.stderr
    assert "\n  status date     20 Nov 2026\n" in r.stdout and "2026-11-20" not in r.stdout
    assert json.loads(run("info", str(path), "--json").stdout)["as_of"] == "2026-11-20"


def test_new_refuses_to_overwrite(tmp_path):
    path = tmp_path / "p.rcplan"
    run("new", str(path))
    r = run("new", str(path))
    assert r.returncode == 1
    assert "already exists" in r.stderr
    assert "Traceback" not in r.stderr


def test_validate_exit_codes(tmp_path):
    good = tmp_path / "good.rcplan"
    plan = small_plan()
    PlanDocument.create(good, plan).close()
    r = run("validate", str(good))
    assert r.returncode == 1  # challenges without actions are listed
    assert "Challenge 1, Everyday encounters and experience of care, has no actions yet." in r.stdout
    junk = tmp_path / "junk.rcplan"
    junk.write_bytes(b"not a plan at all" * 20)
    r = run("validate", str(junk))
    assert r.returncode == 2
    assert "cannot be opened as a plan" in r.stderr and "Traceback" not in r.stderr


def test_validate_reports_a_loop_held_in_a_file(tmp_path):
    import sqlite3
    path = tmp_path / "loop.rcplan"
    PlanDocument.create(path, small_plan()).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO dependencies (action, needs, type, lag, uid) "
                 "VALUES ('A1', 'A5', 'FS', 0, 'x1')")
    conn.commit()
    conn.close()
    r = run("validate", str(path))
    assert r.returncode == 1
    assert "wait for each other in a loop" in r.stdout
    assert "Open the college → Set up steering group" in r.stdout


def test_unknown_command_form_gives_usage_not_traceback(tmp_path):
    r = run("info")
    assert r.returncode == 2 and "usage" in r.stderr and "Traceback" not in r.stderr


def test_window_without_display_says_so(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    r = subprocess.run([sys.executable, os.path.join(ROOT, "main.py")], capture_output=True,
                       text=True, env=env, timeout=60)
    assert r.returncode == 2
    assert "no display" in r.stderr and "python main.py sequence PLAN" in r.stderr


def test_import_xlsx_of_a_renamed_csv_says_so_in_plain_words(tmp_path):
    """The command line says what the window says (one check, in planner/xlsx/read.py)."""
    csv = tmp_path / "plan.xlsx"
    csv.write_text("Action,Owner\nA1,Jo\n")
    r = run("import-xlsx", str(csv), str(tmp_path / "out.rcplan"))
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "'plan.xlsx' is not an Excel workbook (.xlsx)" in r.stderr + r.stdout
    assert "CSV" in r.stderr + r.stdout and "zip" not in r.stderr + r.stdout
    assert not (tmp_path / "out.rcplan").exists()


def test_info_and_validate_into_a_file_write_everything_they_print_in_process(tmp_path):
    """info and validate leave with os._exit once their output is flushed (issue 13): written to
    a file (block-buffered, nothing flushed by a newline), every line still arrives, the exit
    code is the one the command returns, and the output is what the command prints in process."""
    import io

    from planner import cli

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as usual
    path = tmp_path / "p.rcplan"
    PlanDocument.create(path, small_plan()).close()
    for args, expected_code in ((("validate", str(path)), 1), (("info", str(path)), 0)):
        want = io.StringIO()
        if args[0] == "validate":
            assert cli.run_validate(str(path), want) == expected_code
        else:
            assert cli.run_info(str(path), False, want) == expected_code
        out_file, err_file = tmp_path / "out.txt", tmp_path / "err.txt"
        with open(out_file, "w") as out, open(err_file, "w") as err:
            r = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args],
                               stdout=out, stderr=err, env=env, timeout=120)
        assert r.returncode == expected_code
        assert out_file.read_text() == want.getvalue() and want.getvalue().count("\n") > 5
        assert err_file.read_text() == ""
    junk = tmp_path / "junk.rcplan"
    junk.write_bytes(b"not a plan at all" * 20)
    with open(tmp_path / "err.txt", "w") as err:
        r = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "validate", str(junk)],
                           stdout=subprocess.DEVNULL, stderr=err, env=env, timeout=120)
    assert r.returncode == 2
    assert (tmp_path / "err.txt").read_text() == (
        "'junk.rcplan' cannot be opened as a plan: it is not a Recovery Change Planner plan file.\n")
    assert cli.keep_until_exit is None  # in process, nothing is kept alive
