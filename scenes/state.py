"""A content hash of a scene as it stands, and the key of the beat that starts from it.

A beat's frames are decided by the code and the lesson (the clip's picture key), the beat's own
caption and hold, and everything the earlier beats left behind: the mobjects on screen and off it
(their points, colours, widths, updaters), the camera, and whatever the scene keeps in its own
attributes (trackers, axes, results). ``state_digest`` walks all of that generically, so state a
template adds later is covered without a list to keep: only what cannot change a frame is left out
(the clock, the renderer and its last image, manim's bookkeeping of the previous ``play``, caches
that are rebuilt from the points). Numbers count to ``DECIMALS`` places. Two scenes with equal
digests draw the same frames from here on.
"""

from __future__ import annotations

import enum
import hashlib
import json
import types
from pathlib import PurePath
from typing import Any

import numpy as np

#: Decimals a number is compared to. A marker moved by an updater on every frame drifts from one moved
#: once (a skipped beat) in its last bits; a billionth of a unit is a millionth of a pixel at 4K.
DECIMALS = 9
#: Scene attributes that cannot change what a later frame shows.
SCENE_SKIP = frozenset(
    {
        "renderer",  # walked as its camera only, below
        "manager",
        "output_plan",
        "session_spec",
        "file_writer_settings",
        "_log_file_path",
        "time",  # the clock: a beat's frames do not depend on when it starts
        "last_t",
        "record",  # what the render did beat by beat (``LectureScene.record``): read by the pipeline afterwards
        "duration",
        "time_progression",
        "animations",  # the last play's animations: done with
        "moving_mobjects",
        "static_mobjects",
        "probe",  # the layout check watching the render
        "settings",  # holds and ranges of every beat: a beat's own hold is in its key
        "clip",  # every beat's caption and narration: the lesson is in the picture key
        "skip_animations",
        "skip_animation_preview",
        "queue",
        "widgets",
        "mouse_press_callbacks",
        "key_to_function_map",
        "interactive_mode",
        "dearpygui_imported",
        "stop_condition",
        "camera_class",
    }
)
#: Mobject attributes that are caches of their points, parsed sources the points were made from, or
#: names: an SVG's groups by element id (cairo numbers a text's ids per process; the groups are walked
#: as submobjects) and the id of the mobject a copy was made from.
MOBJECT_SKIP = frozenset({"point_hash", "_bezier_t_values", "path_obj", "original_id", "id_to_vgroup_dict"})
#: Camera attributes that hold the last image drawn, or drawing machinery.
CAMERA_SKIP = frozenset(
    {
        "pixel_array",
        "background",
        "pixel_array_to_cairo_context",
        "display_funcs",
        "background_colored_vmobject_displayer",
    }
)


class _Walker:
    """Feeds a value and everything it reaches into one hash, each object once (later visits by number)."""

    def __init__(self) -> None:
        self.hash = hashlib.sha256()
        self.seen: dict[int, int] = {}
        self.kept: list[Any] = []  # keeps walked objects alive, so their ids stay theirs

    def feed(self, *parts: str) -> None:
        self.hash.update(("\x1f".join(parts) + "\x1e").encode("utf-8", "surrogatepass"))

    def first_visit(self, value: Any) -> bool:
        """Whether ``value`` is new to this walk; a repeat is fed as the number of its first visit."""
        number = self.seen.get(id(value))
        if number is not None:
            self.feed("ref", str(number))
            return False
        self.seen[id(value)] = len(self.seen)
        self.kept.append(value)
        return True

    def walk(self, value: Any, skip: frozenset[str] = frozenset()) -> None:
        if isinstance(value, (float, np.floating)):
            self.feed("f", repr(round(float(value), DECIMALS) + 0.0))
        elif value is None or isinstance(value, (bool, int, complex, str, bytes, np.generic)):
            self.feed("v", type(value).__name__, repr(value))
        elif isinstance(value, np.ndarray) or hasattr(value, "__array_namespace__"):
            array = np.asarray(value)
            if np.issubdtype(array.dtype, np.floating):
                array = np.round(array.astype(np.float64), DECIMALS) + 0.0  # + 0.0 makes -0.0 plain 0.0
            array = np.ascontiguousarray(array)
            self.feed("a", str(array.dtype), repr(array.shape))
            self.hash.update(array.tobytes())
        elif type(value).__module__.startswith("sympy."):
            self.feed("sympy", _sympy_text(value))  # its attributes include caches filled as it is asked things
        elif isinstance(value, PurePath):
            self.feed("path", value.name)  # cache files are named for their content; folders differ per task
        elif isinstance(value, enum.Enum):
            self.feed("enum", repr(value))
        elif isinstance(value, (type, types.ModuleType, types.BuiltinFunctionType)):
            self.feed("name", getattr(value, "__module__", "") or "", getattr(value, "__qualname__", value.__name__))
        elif isinstance(value, (list, tuple, dict)):
            if self.first_visit(value):
                self.feed(type(value).__name__, str(len(value)))
                for item in value.items() if isinstance(value, dict) else value:
                    self.walk(item)
        elif isinstance(value, (set, frozenset)):
            self.feed("set", str(len(value)))
            for digest in sorted(self.member(item) for item in value):
                self.feed(digest)
        elif isinstance(value, types.MethodType):
            self.feed("method")
            self.walk(value.__func__)
            self.walk(value.__self__)
        elif isinstance(value, types.FunctionType):
            if self.first_visit(value):
                self.feed("function", value.__module__ or "", value.__qualname__)
                self.walk(value.__defaults__)
                self.walk(tuple(cell.cell_contents for cell in value.__closure__ or () if _filled(cell)))
        elif isinstance(value, (types.BuiltinMethodType, types.MethodWrapperType)):
            self.feed("builtin", repr(type(value)), str(getattr(value, "__name__", "")))
        elif hasattr(value, "__dict__") or _slots(value):
            if self.first_visit(value):
                self.feed("object", type(value).__module__, type(value).__qualname__)
                fields = [(name, getattr(value, name)) for name in _slots(value) if hasattr(value, name)]
                unseen = _without_effect(value)
                for name, item in [*fields, *getattr(value, "__dict__", {}).items()]:
                    if name not in skip and name not in MOBJECT_SKIP and name not in unseen:
                        self.feed("attr", name)
                        self.walk(item)
        else:
            self.feed("opaque", type(value).__module__, type(value).__qualname__)

    def member(self, item: Any) -> str:
        """A set member as a string that sorts the same in every run: its visit number, or its own digest."""
        number = self.seen.get(id(item))
        if number is not None:
            return f"ref {number}"
        alone = _Walker()
        alone.walk(item)
        return alone.hash.hexdigest()


def _without_effect(value: Any) -> frozenset[str]:
    """Attributes of ``value`` that cannot show as it stands: the sheen's direction when it has no sheen.

    (Manim's cache of typeset SVGs can hand a later scene in the same process a formula whose
    unused sheen direction an earlier scene turned.)
    """
    return frozenset({"sheen_direction"}) if getattr(value, "sheen_factor", None) == 0 else frozenset()


def _sympy_text(value: Any) -> str:
    """A SymPy object written out exactly (its structure, not its lazily filled caches)."""
    from sympy import srepr  # only reached when the scene holds SymPy objects, so SymPy is loaded

    return str(srepr(value))


def _slots(value: Any) -> list[str]:
    """The names of the slots ``value``'s classes declare."""
    names: list[str] = []
    for cls in type(value).__mro__:
        declared = cls.__dict__.get("__slots__", ())
        names.extend([declared] if isinstance(declared, str) else declared)
    return [name for name in names if name not in ("__dict__", "__weakref__")]


def _filled(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018
    except ValueError:  # a closure variable not assigned yet
        return False
    return True


def state_digest(scene: Any) -> str:
    """A hash of everything in ``scene`` that can decide a frame from now on (see the module's docstring)."""
    walker = _Walker()
    walker.seen[id(scene)] = 0  # bound methods and closures that reach the scene refer to it as 0
    walker.kept.append(scene)
    walker.feed("scene", type(scene).__module__, type(scene).__qualname__)
    for name, value in vars(scene).items():
        if name not in SCENE_SKIP:
            walker.feed("attr", name)
            walker.walk(value)
    walker.feed("camera")
    walker.walk(scene.renderer.camera, CAMERA_SKIP)
    return walker.hash.hexdigest()


def beat_key(picture: str, caption: str, hold: float | None, state: str) -> str:
    """The key of a beat's frames: the clip's picture key, its caption and hold, and the state it starts from."""
    return hashlib.sha256(json.dumps([picture, caption, hold, state]).encode()).hexdigest()
