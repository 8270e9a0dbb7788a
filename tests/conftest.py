"""The harness's own tests. Those that read the real NSP artefacts take them from ``nsp_reference.reference``
(skipped without ../shared, failed without it under CI=true)."""
