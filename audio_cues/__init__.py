"""Cue sounds shipped with voiceguide (installed as the package `voiceguide.audio_cues`)."""
