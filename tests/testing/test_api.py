"""migsim.testing's public face: every name importable and documented, errors in place."""

from __future__ import annotations

import inspect

import migsim
from migsim import testing


def test_every_public_name_is_importable_and_documented() -> None:
    for name in testing.__all__:
        obj = getattr(testing, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            doc = inspect.getdoc(obj) or ""
            assert doc.strip(), f"migsim.testing.{name} has no docstring"
            assert obj.__module__.startswith("migsim.testing"), name


def test_errors_share_the_migsim_root_and_the_nearest_builtin() -> None:
    assert issubclass(testing.FailingRunError, migsim.MigsimError)
    assert issubclass(testing.FailingRunError, AssertionError)
    assert issubclass(testing.TraceMismatchError, AssertionError)
    assert issubclass(testing.TraceMismatchError, migsim.MigsimError)
    assert issubclass(testing.HelperUsageError, ValueError)
    assert issubclass(testing.HelperUsageError, migsim.MigsimError)


def test_importing_migsim_does_not_import_the_testing_tools() -> None:
    import subprocess
    import sys

    code = "import sys, migsim; print('migsim.testing' in sys.modules, 'hypothesis' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.split() == ["False", "False"]
