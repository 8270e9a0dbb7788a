"""Render: every report derived from the stored results (summary.json, certification.html, the evidence bundle, cucumber.json, the re-certification delta)."""
