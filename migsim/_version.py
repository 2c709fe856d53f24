"""The single source of migsim's version number."""

__version__ = "0.1.0"
