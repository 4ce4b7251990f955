"""Live play: the session's scheduler (session) and the thread that feeds the sound device (output)."""
