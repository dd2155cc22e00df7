"""Cadre: run a small cadre of hero AI agents on your own unified data."""

__version__ = "0.1.0"
