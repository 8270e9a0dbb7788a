"""The nspcert pytest plugin (entry point ``pytest11: nspcert``): options, verdict collection and reports.

Keep this module tiny: it only names the plugin modules of the library. Without ``--nspcert-report-dir``
the results collector does nothing but define the options and the ``scenario_evidence`` fixture.
"""

from __future__ import annotations

pytest_plugins = ["nspcert.results.collect.collector"]
