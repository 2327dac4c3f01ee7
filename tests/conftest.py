"""Shared fixtures: every test runs headless, with its own data folders."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from briefapp import paths
from briefapp.documents import isolation
from briefapp.domain.brief_format import loads_brief
from briefapp.domain.entities import Brief
from briefapp.services.session import Locations, Services, open_services
from tests import reliability

XDG_VARIABLES = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")


@pytest.fixture(autouse=True)
def private_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point data, settings, logs and the default database at ``tmp_path``."""
    home = tmp_path / "user"
    for variable in XDG_VARIABLES:
        monkeypatch.setenv(variable, str(home / variable.lower()))
    monkeypatch.delenv(paths.DB_ENV_VAR, raising=False)
    return home


@pytest.fixture
def demo_brief() -> Brief:
    return loads_brief(paths.demo_brief_file().read_bytes())


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    return tmp_path / "briefs.db"


@pytest.fixture
def locations(tmp_path: Path) -> Locations:
    return Locations(
        builtin_templates=paths.templates_dir(),
        user_templates=tmp_path / "user-templates",
        demo_brief=paths.demo_brief_file(),
        template_checks=tmp_path / "template-checks",
        issuing_key=tmp_path / "keys" / "issuing-key.pem",
    )


@pytest.fixture
def services(database_path: Path, locations: Locations) -> Iterator[Services]:
    opened = open_services(database_path, locations)
    yield opened
    opened.close()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Leave the reliability counts where the report asked for them."""
    if exitstatus == 0:
        reliability.write_counts()


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of each template the checker was started on, in a child."""
    started: list[str] = []
    real = isolation.run_isolated

    def counting(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        started.append(args[0].name)
        return real(function, *args, **kwargs)

    monkeypatch.setattr(isolation, "run_isolated", counting)
    return started
