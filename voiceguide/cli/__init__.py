"""The `voiceguide` command: typer app, plan table, render progress, live panel and keys."""
