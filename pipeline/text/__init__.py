"""Text for people: lecturer text made inert, subtitles, transcripts, values in words."""
