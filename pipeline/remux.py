"""Packet copies: clips joined end to end, and an mp4 or mov rewritten with its index first.

With the index (the ``moov`` box) ahead of its media, a player or an LMS can start streaming
before the whole file has arrived. Packets are copied, not encoded again: the frames are the same bits.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
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


def join(parts: Sequence[Path], target: Path, alpha: bool = False) -> Path:
    """Concatenate clips encoded alike into ``target`` by copying their packets (index first for mp4 and mov).

    FFmpeg's concat demuxer lays the parts end to end on one clock; the decoding times are left
    to the muxer, since consecutive parts may restart them. ``alpha`` keeps a WebM's alpha plane.
    """
    listing = "".join(f"file 'file:{part.resolve().as_posix()}'\n" for part in parts).encode()
    options = {"movflags": "+faststart"} if target.suffix in INDEXED else {}
    with (
        av.open(io.BytesIO(listing), "r", format="concat", options={"safe": "0"}) as source,
        av.open(str(target), "w", format=target.suffix[1:], options=options) as output,
    ):
        video = source.streams.video[0]
        stream = output.add_stream_from_template(video)
        if alpha and target.suffix == ".webm":
            stream.pix_fmt = "yuva420p"
        for packet in source.demux(video):
            if packet.dts is None:  # the demuxer's empty flush packet
                continue
            packet.dts = None
            packet.stream = stream
            output.mux(packet)
    return target
