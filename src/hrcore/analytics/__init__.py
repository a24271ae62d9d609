"""Analytics of the develop → assess → use loop: figures read from rollups the worker keeps
current from every domain's events (docs/analytics.md)."""
