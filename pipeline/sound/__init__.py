"""Sound: who speaks each beat, the draft voice, recordings, loudness."""
