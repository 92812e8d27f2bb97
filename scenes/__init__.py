"""The clips as manim scenes: one scene and one text module per template, and what they draw with."""
