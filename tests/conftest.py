"""Shared fixtures: one real low-quality render per clip, made once per test session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.quality import quality
from pipeline.render import RenderedClip, render_clip
from scenes.catalog import clip_by_id


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
def render_low(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], RenderedClip]:
    """Render a clip at 480p15 once per session, into a private folder."""
    out = tmp_path_factory.mktemp("renders")
    done: dict[str, RenderedClip] = {}

    def render(clip_id: str) -> RenderedClip:
        if clip_id not in done:
            done[clip_id] = render_clip(clip_by_id(clip_id), quality("low"), out)
        return done[clip_id]

    return render


GOLDENS = Path(__file__).parent / "goldens"
