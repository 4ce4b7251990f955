"""Built-in routines, one YAML file each; the file name is the routine's name."""
