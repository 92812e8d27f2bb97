"""The four clips of the series, one module per clip; ``catalog`` lists them without importing manim."""
