"""`voiceguide import`: an article's layout read, its amounts found, a draft built and written as YAML.

The entry points are `voiceguide.importer.writing.import_article` and `import_file` (also `voiceguide.import_article`);
this package imports nothing itself, so `importer.provenance` costs only itself.
"""
