"""skillbeacon: employer candidate search by named skills on verified evidence."""

__version__ = "0.1.0"
