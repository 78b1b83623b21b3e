"""Every record field's declared type is the one ``typing.get_type_hints`` gives (the codec reads
and checks each stored value by it); ``model.field_types`` works it out with each distinct
annotation compiled once."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from planner import model

CLASSES = sorted({k.cls for k in model.KINDS.values()}
                 | {model.Settings, model.Plan, model.ChallengeInfo, model.Kind},
                 key=lambda c: c.__name__)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_each_fields_type_is_the_one_typing_gives(cls):
    hints = typing.get_type_hints(cls)
    expected = {f.name: hints[f.name] for f in dataclasses.fields(cls)}
    got = model._declared_types(cls)
    assert list(got) == list(expected)  # every field, in order
    for name, tp in expected.items():
        assert got[name] == tp and type(got[name]) is type(tp), name
        assert typing.get_args(got[name]) == typing.get_args(tp)


def test_a_class_whose_annotations_are_types_already_is_left_to_typing():
    odd = dataclasses.make_dataclass("Odd", [("when", model.date | None), ("n", int, 0)])
    assert model._declared_types(odd) == {"when": model.date | None, "n": int}
