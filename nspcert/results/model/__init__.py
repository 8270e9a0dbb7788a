"""Model: the stored results of a run, its verdicts and waivers, read back from its directory."""
