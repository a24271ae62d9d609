"""hrcore: talent development backend."""

__version__ = "0.1.0"
