"""Web delivery: an mp4 or mov rewritten with its index (the ``moov`` box) ahead of its media.

A player or an LMS can then start streaming before the whole file has arrived. The packets are
copied, not encoded again, so the frames are the same bits.
"""

from __future__ import annotations

import os
from pathlib import Path

import av

#: The containers that have a ``moov`` index to move.
INDEXED = (".mp4", ".mov")


def faststart(path: Path) -> None:
    """Rewrite ``path`` in place with its index first (nothing to do for other containers)."""
    if path.suffix not in INDEXED:
        return
    temporary = path.with_name(f".{path.stem}-faststart{path.suffix}")
    try:
        with (
            av.open(str(path)) as source,
            av.open(str(temporary), "w", format=path.suffix[1:], options={"movflags": "+faststart"}) as target,
        ):
            kept = [s for s in source.streams if s.type in ("video", "audio")]
            streams = {s.index: target.add_stream_from_template(s) for s in kept}
            for packet in source.demux(*kept):
                if packet.dts is None:  # the demuxer's empty flush packet
                    continue
                packet.stream = streams[packet.stream.index]
                target.mux(packet)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def top_level_boxes(path: Path) -> list[str]:
    """The names of an mp4's top-level boxes in file order: ``['ftyp', 'moov', 'mdat']`` when fast-started."""
    names = []
    with path.open("rb") as file:
        size = file.seek(0, os.SEEK_END)
        offset = 0
        while offset + 8 <= size:
            file.seek(offset)
            header = file.read(16)
            length, name = int.from_bytes(header[:4], "big"), header[4:8].decode("latin-1")
            if length == 1:  # a 64-bit size follows the name
                length = int.from_bytes(header[8:16], "big")
            elif length == 0:  # the box runs to the end of the file
                length = size - offset
            names.append(name)
            offset += length
    return names
