"""cvgen: one YAML file to a LaTeX CV, a WeasyPrint PDF and the Markdown page of a Jekyll homepage."""

__version__ = "0.1.0"
