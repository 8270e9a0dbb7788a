"""The harness's side of the mock NSP: its control plane client (register state, faults, clock, journal)."""
