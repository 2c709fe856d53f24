"""migsim's public face: every exported name is importable and documented."""

from __future__ import annotations

import inspect

import migsim


def test_every_public_name_is_importable_and_documented() -> None:
    assert "build_program" in migsim.__all__  # the world builder is present in this tree
    for name in migsim.__all__:
        obj = getattr(migsim, name)
        if name == "__version__":
            assert isinstance(obj, str)
            continue
        assert inspect.getdoc(obj), f"migsim.{name} has no docstring"


def test_errors_form_one_hierarchy_with_builtins() -> None:
    assert issubclass(migsim.ScenarioError, migsim.MigsimError)
    assert issubclass(migsim.ScenarioError, ValueError)


def test_unknown_attributes_raise_attribute_error() -> None:
    try:
        migsim.nonexistent  # noqa: B018
    except AttributeError as err:
        assert "nonexistent" in str(err)  # noqa: PT017
    else:
        raise AssertionError("expected AttributeError")
