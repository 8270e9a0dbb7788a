"""The certification catalogue: requirements as data, `@req:` tags, coverage and the traceability gate."""
