"""Audio: the sample format, cue sound files, loudness, leveling and the mix."""

SAMPLE_RATE = 22050  # what espeak and Piper's medium voices produce; every sound is mono at this rate
