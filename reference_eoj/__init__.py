"""The reference EOJ: a small, correct vendor system for Fælles Stamkort 3.0 (SPEC §5).

It implements the nspcert HTTP driver contract (``nspcert/driver/openapi.yaml``) and speaks only the real
NSP protocols (STS, DGWS + HSUID, SFSK ITI-18/ITI-43, SKR, MinLog2, IDSAS) to the NSP it is pointed at.
Seeded defects (:mod:`reference_eoj.defects`) make it misbehave on purpose for the harness's kill matrix.
"""

from __future__ import annotations

__version__ = "1.0.0"
