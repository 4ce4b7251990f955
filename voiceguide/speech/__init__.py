"""Speech: the session's voice (Piper's natural voices, espeak-ng's every language), its clips and their cache."""
