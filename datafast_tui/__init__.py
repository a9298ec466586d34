"""datafast-tui: a keyboard-first terminal client for the DataFast analytics API."""

__version__ = "0.1.0"
