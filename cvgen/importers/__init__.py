"""Importers: other sources → CV model, all funnelled through one YAML writer (cvgen.dump)."""
