"""Collect: the pytest hooks and the evidence API that record a run as it happens."""
