"""migsim's exceptions: one root, and errors that say what to change.

Every exception migsim raises on purpose derives from :class:`MigsimError` (declared at the
bottom of migsim's layers, in ``kernel_model``, so policies and the world share it), and also from
the builtin it is closest to, so ``except ValueError`` keeps working for callers that do
not know migsim.  A :class:`ScenarioError` names the file, the key path inside the
scenario, what was expected, what was found, and how to fix it, in one line:

    seed.toml: task[1].program[2].op: expected one of read, write, ...; got "wirte"
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from kernel_model import MigsimError

__all__ = ["MigsimError", "Problem", "ReportError", "ScenarioError", "UsageError"]

_ONE_LINE = {c: f"\\x{c:02x}" for c in range(32)} | {0x7F: "\\x7f"}


@attrs.frozen
class Problem:
    """One thing wrong with a scenario: where (``path``), what was ``expected``, what was ``got``.

    ``fix`` is an optional hint for the user ("declare it under [[mm]]").  ``path`` is a
    key path such as ``task[1].program[2].op``; the empty path means the whole document.
    """

    path: str
    expected: str
    got: str
    fix: str = ""

    def render(self, source: str) -> str:
        """One line: ``source: path: expected ...; got ... (fix)``."""
        where = f"{source}: " if source else ""
        where += f"{self.path}: " if self.path else ""
        text = f"{where}expected {self.expected}; got {self.got}"
        text = f"{text} ({self.fix})" if self.fix else text
        # One line, always: a control character in a key or value must not break it.
        return text.translate(_ONE_LINE)


class ScenarioError(MigsimError, ValueError):
    """A scenario is malformed: a wrong type or value, an unknown key, a dangling reference.

    Attributes: ``source`` (the file name, or ``"<scenario>"`` for one built in Python),
    ``problems`` (every :class:`Problem` found, in document order; the scenario is checked
    whole), and ``path`` (the key path of the first problem).  ``str(error)`` is the first
    problem on one line, followed by how many more were found.
    """

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("ScenarioError needs at least one problem")
        self.source = source
        self.problems = tuple(problems)
        self.path = self.problems[0].path
        super().__init__(self._message())

    def _message(self) -> str:
        first = self.problems[0].render(self.source)
        more = len(self.problems) - 1
        if more:
            return f"{first} [and {more} more problem{'s' if more > 1 else ''}]"
        return first

    def lines(self) -> tuple[str, ...]:
        """Every problem, one rendered line each."""
        return tuple(p.render(self.source) for p in self.problems)


class UsageError(MigsimError, ValueError):
    """A command was used wrongly (a bad option value, a missing file, an unknown scenario)."""


class ReportError(MigsimError, RuntimeError):
    """A report could not be written (for example, the output directory is not writable)."""
