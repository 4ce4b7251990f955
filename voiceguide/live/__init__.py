"""Live play: the session's scheduler and its tapes of sound on the audio device."""
