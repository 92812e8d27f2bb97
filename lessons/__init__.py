"""The lessons: the series file read and checked, the templates and their fields, and the looks (no manim)."""
