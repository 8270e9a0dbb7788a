"""Checks of what the SUT showed or sent, by domain concept. Each raises NonConformance on a breach."""
