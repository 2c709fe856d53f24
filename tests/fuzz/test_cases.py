"""The fuzz cases themselves: deterministic, as many as promised, every family present."""

from __future__ import annotations

import collections
import hashlib
import os
import subprocess
import sys

from tests.fuzz.cases import FAMILIES, KINDS, ROOT, case, count

TOKEN = "ms1:seed-race@0123abcd:shrunk:89abcdef:0x2.1x7"


def digest(n: int) -> str:
    """A digest of the first ``n`` cases of every kind (everything a case holds)."""
    h = hashlib.sha256()
    for kind in KINDS:
        for i in range(n):
            c = case(kind, i, TOKEN)
            h.update(repr((c.ident, c.verdict, c.argv, c.extra, c.names, c.json)).encode())
            h.update(hashlib.sha256(c.data).digest())
    return h.hexdigest()


def test_cases_are_the_same_in_any_process_and_hash_seed() -> None:
    here = digest(60)
    assert digest(60) == here
    code = "from tests.fuzz.test_cases import digest; print(digest(60))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert other.stdout.strip() == here


def test_the_default_run_has_two_thousand_cases_and_the_slow_mode_ten_times_more() -> None:
    assert sum(count(kind, 1) for kind in KINDS) >= 2000
    assert all(count(kind, 10) == 10 * count(kind, 1) for kind in KINDS)


def test_every_family_is_generated_with_its_verdicts() -> None:
    families: collections.Counter[str] = collections.Counter()
    verdicts: collections.Counter[str] = collections.Counter()
    for i in range(count("file", 1)):
        c = case("file", i, TOKEN)
        families[c.family] += 1
        verdicts[c.verdict] += 1
    assert set(families) == set(FAMILIES)
    assert min(families.values()) >= 100
    assert verdicts["reject"] > verdicts["either"] > verdicts["accept"] > 0


def test_token_and_flag_cases_are_all_refusals() -> None:
    for kind in ("token", "flags"):
        cases = [case(kind, i, TOKEN) for i in range(count(kind, 1))]
        assert {c.verdict for c in cases} == {"reject"}
        assert len({c.argv for c in cases}) > len(cases) // 3  # varied, not one case repeated
