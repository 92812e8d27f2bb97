# Two commands do everything: `make render` and `make test`. Both set up what is missing first
# (Debian packages, a virtual environment with pinned packages) and are quick the second time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
QUALITY ?= high
# Cairo and Pango headers build manim's pycairo and manimpango; the TeX set is what MathTex uses
# (its default template needs standalone.cls from texlive-latex-extra). DejaVu draws Latin, Greek and
# Cyrillic captions, WenQuanYi Micro Hei Chinese and Japanese ones. espeak-ng is the draft voice.
APT_PACKAGES := pkg-config libcairo2-dev libpango1.0-dev fonts-dejavu-core fonts-wqy-microhei \
	texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended dvisvgm espeak-ng
# reveal.js for HTML decks comes from npm, pinned in package-lock.json; npm is Debian's where the machine has none.
NODE_PACKAGES := node_modules/.package-lock.json
# The tests also drive the HTML deck in a real headless browser, read the handout with poppler, and
# probe the videos and measure their loudness with FFmpeg's own ffprobe and ebur128.
TEST_APT_PACKAGES := chromium chromium-driver poppler-utils ffmpeg

.PHONY: setup system apt render test check truth lint goldens bench clean

setup: system $(STAMP) $(NODE_PACKAGES)

system:
	@$(MAKE) --no-print-directory apt PACKAGES="$(APT_PACKAGES)"

apt:
	@missing=""; \
	for p in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		else \
			echo "error: missing system packages; install them first: sudo apt-get install$$missing" >&2; exit 1; \
		fi; \
	fi

$(NODE_PACKAGES): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || $(MAKE) --no-print-directory apt PACKAGES="npm"
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

render: setup
	$(BIN)/primer render --quality $(QUALITY)

test: setup
	@$(MAKE) --no-print-directory apt PACKAGES="$(TEST_APT_PACKAGES)"
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup --durations=15

# The fast subset for the inner loop: lint, math, lessons, the CLI's wiring; nothing is drawn.
check: setup
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup -m "not render"

# The truth oracle over hundreds of random lessons per template (the suite runs a handful).
truth: setup
	$(BIN)/python -m pytest -q tests/test_truth.py --hypothesis-profile=truth

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

# Times regeneration on this machine (see the README); QUALITY=high for the 1080p60 table.
bench: setup
	$(BIN)/python bench/bench.py --quality $(if $(filter high,$(QUALITY)),high,low)

# Re-render the golden key frames after an intended change to a clip's look.
goldens: setup
	$(BIN)/python -m pytest -q tests/test_render.py --update-goldens

clean:
	rm -rf renders $(VENV) node_modules
