"""Shared fixtures: the whole series rendered once at 480p15, as `primer render` does it.

The suite runs in two pytest-xdist workers (`make test`); the series is rendered once for both. Tests
that run `render` or `watch` on the rendered folder itself (each takes its lock) are in the xdist group
``SERIES_FOLDER``, so they run one after another on one worker; the others read it or work on a copy.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from lessons.quality import quality
from lessons.series import Clip, default_series
from pipeline.formats import Output
from pipeline.progress import QuietReporter
from pipeline.rendering.schedule import render_series
from pipeline.request import Request

#: `make truth`: the oracle over hundreds of lessons per template (tests/test_truth.py).
settings.register_profile("truth", max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
GOLDENS = Path(__file__).parent / "goldens"
LOW = quality("low")
SERIES_FOLDER = pytest.mark.xdist_group("series-folder")
#: The project's own series, as every test sees it.
SERIES = default_series().clips
IDS = default_series().ids


def request_for(
    clips: Sequence[Clip], out: Path, jobs: int = 2, force: bool = False, output: Output | None = None
) -> Request:
    """A render request for ``clips`` at 480p15 into ``out``, as the command line builds one."""
    return Request(default_series(), tuple(clips), LOW, output or Output(), out, jobs, force=force)


def clip_by_id(clip_id: str) -> Clip:
    """A clip of the project's series."""
    return default_series().clip(clip_id)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="Write the golden key frames from this run's renders instead of comparing with them.",
    )


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def series_low(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, Any]]]:
    """The series rendered at 480p15 in two worker processes: (output folder, manifest entries by id).

    Tests that change outputs work on a copy.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker has its own folder inside the run's
        shared = shared.parent
    out, rendered = shared / "series-renders", shared / "series-renders.json"
    with (shared / "series-renders.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first worker renders; the other waits, then reads what it wrote
        if not rendered.exists():
            entries = render_series(request_for(SERIES, out), reporter=QuietReporter())
            rendered.write_text(json.dumps(entries))
        entries = json.loads(rendered.read_text())
    return out, {entry["id"]: entry for entry in entries}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the rendered series as ``render``: `make check` leaves them out."""
    for item in items:
        if "series_low" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.render)
