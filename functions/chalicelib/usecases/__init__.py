"""Use cases: what the API, the schedules and the CLI call."""
