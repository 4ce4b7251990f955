"""Rendering a session to a file: the pipeline to ffmpeg, tags and chapters, captions."""
