"""Killing a writer at any moment loses no committed save and never damages
the database."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
from pathlib import Path

import pytest

from briefapp.services.session import Services
from tests.integration.crash_writer import save_until_killed
from tests.reliability import KILLS_SURVIVED, tally

pytestmark = [pytest.mark.slow, pytest.mark.reliability]

KILLS = 200


def test_committed_saves_survive_sigkill(
    services: Services, database_path: Path
) -> None:
    services.close()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.integration.crash_writer"])
    rng = random.Random(20261128)
    survived = 0
    for _ in range(KILLS):
        reports, report = context.Pipe(duplex=False)
        writer = context.Process(
            target=save_until_killed, args=(str(database_path), report), daemon=True
        )
        writer.start()
        report.close()
        try:
            # Block until some saves are reported committed, then kill at once:
            # the writer is somewhere in its next save.
            reported = [reports.recv() for _ in range(rng.randint(1, 6))]
        finally:
            os.kill(writer.pid or 0, signal.SIGKILL)
            writer.join(timeout=30)
            reports.close()
        with sqlite3.connect(database_path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            revision, title = connection.execute(
                "SELECT revision, title FROM brief WHERE id = 1"
            ).fetchone()
            points = connection.execute(
                "SELECT key_points FROM brief WHERE id = 1"
            ).fetchone()[0]
        # Every save reported as committed is there (a later one may be too).
        assert revision >= reported[-1]
        assert title == f"Save {revision - 1}"
        assert f"point {revision - 1}" in points
        survived += 1
        tally(KILLS_SURVIVED)
    assert survived == KILLS
