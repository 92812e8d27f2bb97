"""From the lessons to files on disk: rendering, probing and the values each clip shows.

Nothing here imports manim or jax at import time; each function imports what it needs.
"""
