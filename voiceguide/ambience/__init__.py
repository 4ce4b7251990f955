"""Built-in background ambiences (made by scripts/make_ambience.py): `--background builtin:NAME`."""
