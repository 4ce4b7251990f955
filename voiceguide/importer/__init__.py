"""`voiceguide import`: an article's layout read, its amounts found, a draft built and written as YAML."""

from voiceguide.importer.writing import import_article, import_file

__all__ = ["import_article", "import_file"]
