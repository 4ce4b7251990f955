"""Audio: the sample format, cue sound files, loudness, leveling and the mix."""
