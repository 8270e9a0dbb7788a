"""The world: what one tenant's platform holds — registers, clock, faults, settings, salt, MinLog2 records,
near-misses, its test CA — as domain objects over a `Store` (mock_nsp.world.store)."""
