"""Connectors to the public offer APIs: each `fetch(...)` yields `OfferRecord`s.

- `francetravail`: job and apprenticeship offers (France Travail « Offres d'emploi v2 »);
- `labonnealternance`: apprenticeship offers and trainings (API Alternance);
- `immersion`: establishments open to immersions, PMSMP (Immersion facilitée).

Failures raise `ConnectorError` (from `http`), whose message is for the operator, in French.
"""

from .http import ApiClient, ConnectorError

__all__ = ["ApiClient", "ConnectorError"]
