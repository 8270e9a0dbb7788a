"""The command line's helpers: the settings file, preflight checks, the reference EOJ as a service."""
