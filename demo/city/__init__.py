"""Demo data: a deterministic Changzhou-like city (or a province of 13 cities) for the portal.

Two steps, so benchmarks and tests can reuse either:

- :func:`build_plan` is pure: from ``(scale, seed)`` it produces plain specs (regions,
  departments, industries, party organizations, enterprises, instructors, assignments, grades)
  that refer to each other by stable keys (division codes, organization codes, USCCs). It uses
  one ``random.Random(seed)`` and the fixed :data:`REFERENCE_DATE`, so the same seed always gives
  the same plan (see :meth:`DemoPlan.digest`).
- :func:`load_plan` writes a plan: through the services (validated, scope-checked, audited;
  coverage derived on every write) for the city, or with ``bulk_create`` for the province,
  followed by one :func:`services.enterprises_refresh_coverage`. The coverage mode is never set
  by hand; the plan only decides the links (organization, instructors, liaison, union flags).

:mod:`demo.seed` runs it as the first area of the demo.
"""

from .generator import build_plan
from .load import backdate_enterprises, backdate_workers, load_plan
from .reference import (
    API_KEY_NAME,
    CITY_CODE,
    DATA_FILE,
    DEFAULT_SEED,
    EVALUATION_YEAR,
    INDUSTRIES,
    REFERENCE_DATE,
    SCALES,
    WORKING_COMMITTEE_CODE,
    ZONE_CODE,
)
from .specs import DemoPlan

__all__ = [
    "API_KEY_NAME",
    "CITY_CODE",
    "DATA_FILE",
    "DEFAULT_SEED",
    "EVALUATION_YEAR",
    "INDUSTRIES",
    "REFERENCE_DATE",
    "SCALES",
    "WORKING_COMMITTEE_CODE",
    "ZONE_CODE",
    "DemoPlan",
    "backdate_enterprises",
    "backdate_workers",
    "build_plan",
    "load_plan",
]
