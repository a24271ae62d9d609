"""Privacy under PIPL: read-access log, own data and its export, requests, consent,
automated decisions, retention and purge (docs/privacy.md)."""
