"""The encoder options every clip is written with, over manim's own (why: ``pipeline/rendering/encoder.py``).

Kept apart from the encoder so that what encodes beside a render (a described clip's held frames)
matches it without importing manim.
"""

from __future__ import annotations

X264 = {"preset": "ultrafast", "crf": "30", "x264-params": "cabac=1"}
VP9 = {"deadline": "realtime", "cpu-used": "8"}
#: Encoder options by codec, over manim's own.
OPTIONS = {"libx264": X264, "libvpx-vp9": VP9}
