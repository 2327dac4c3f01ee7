"""Run the reliability tests and write their counts into the README.

    python scripts/reliability_report.py

runs every test marked ``reliability`` (``pytest -m reliability``) with
``BRIEFAPP_RELIABILITY_OUT`` set, so the suite writes what it counted: kills
survived, fuzz cases run, hostile inputs refused (see tests/reliability.py).
The figures replace the README's "Reliability" table. Nothing is written if
a test fails.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability import KINDS, OUT_ENV_VAR  # noqa: E402

COMMAND = "python scripts/reliability_report.py"
START = "<!-- reliability:start -->"
END = "<!-- reliability:end -->"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "counts.json"
        env = {**os.environ, OUT_ENV_VAR: str(out), "QT_QPA_PLATFORM": "offscreen"}
        ran = subprocess.run(
            [sys.executable, "-m", "pytest", "-m", "reliability", "-q",
             "-p", "no:cacheprovider"],
            cwd=ROOT, env=env, check=False,
        )  # fmt: skip
        if ran.returncode != 0 or not out.exists():
            print(
                "the reliability tests did not all pass (is the test extra "
                'installed? pip install -e ".[test]"); the README is unchanged',
                file=sys.stderr,
            )
            return 1
        counts: dict[str, int] = json.loads(out.read_text(encoding="utf-8"))
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    _old, after = rest.split(END, 1)
    readme.write_text(before + START + "\n" + table(counts) + END + after, "utf-8")
    print(table(counts), end="")
    return 0


def table(counts: dict[str, int]) -> str:
    rows = "".join(f"| {kind} | {counts.get(kind, 0):,} |\n" for kind in KINDS)
    day = dt.date.today().isoformat()
    return (
        f"| Checked by the suite (last run {day}) | Cases |\n|---|---:|\n{rows}"
        f"\nTo reproduce: `{COMMAND}` with the test extra installed (it runs "
        "`pytest -m reliability` and rewrites this table).\n"
    )


if __name__ == "__main__":
    sys.exit(main())
