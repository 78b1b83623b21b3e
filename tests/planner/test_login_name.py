"""The name a plan's journal records for whoever opened it: the login name, found as
``getpass.getuser`` finds it (``plan_file._default_user`` asks without importing getpass)."""

from __future__ import annotations

import getpass
import os
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from planner import plan_file

VARIABLES = ("LOGNAME", "USER", "LNAME", "USERNAME")


def _getpass_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({}, optional={name: st.sampled_from(["", "ann", "bob", "ccc d"])
                                           for name in VARIABLES}))
def test_the_login_name_is_the_one_getpass_finds(variables):
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env.update(variables)
    with mock.patch.dict(os.environ, env, clear=True):
        assert plan_file._default_user() == _getpass_name()


def test_no_entry_in_the_password_database_is_unknown():
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    with mock.patch.dict(os.environ, env, clear=True), \
            mock.patch("pwd.getpwuid", side_effect=KeyError("no such user")):
        assert plan_file._default_user() == "unknown"
