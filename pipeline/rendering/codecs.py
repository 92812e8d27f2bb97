"""The encoder options every clip is written with, over manim's own (why: ``pipeline/rendering/encoder.py``).

Kept apart from the encoder so that what encodes beside a render (a described clip's held frames)
matches it without importing manim.
"""

from __future__ import annotations

X264 = {"preset": "ultrafast", "crf": "30", "x264-params": "cabac=1"}
VP9 = {"deadline": "realtime", "cpu-used": "8"}
#: Encoder options by codec, over manim's own.
OPTIONS = {"libx264": X264, "libvpx-vp9": VP9}
#: For a picture held still (a described clip's hold): the first frame coded finely enough (I-frame quantiser
#: 18 steps below the P-frames') that the frames after it have nothing left to refine, and no key frame after
#: it (one every 250 frames would code the picture afresh), so the picture does not shimmer while it is held.
#: The stream's parameter sets stay the clip's, so the two still join by copying packets.
HOLD_OPTIONS = {**OPTIONS, "libx264": {**X264, "x264-params": X264["x264-params"] + ":ipratio=8:keyint=infinite"}}
