"""IMVO Monitor: monitoring of the Dutch IMVO covenants."""

__version__ = "0.1.0"
