"""Rendering: one task drawn and encoded, tasks planned and run on engines, keys, the manifest, joins."""
