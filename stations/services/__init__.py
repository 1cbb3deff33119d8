"""Writes for stations: validated, scope-checked and audited in one transaction each, one file
an idea:

- ``stations``: stations, their facilities (the compliance verdict is derived here,
  ``station_refresh_compliance``, whenever facilities change) and opening hours;
- ``cabinets``: medicine cabinets and their stock;
- ``checkins``: a worker's check-in at a station;
- ``service_circle``: the service-circle job, queued with ``service_circle_queue`` and run by
  ``service_circle_run`` (called from the Celery task).
"""

from .cabinets import (
    cabinet_create,
    cabinet_delete,
    cabinet_restock,
    cabinet_update,
    stock_create,
    stock_delete,
    stock_update,
)
from .checkins import (
    checkin_record,
)
from .service_circle import (
    CIRCLE_JOB,
    circle_config,
    latest_circle_job,
    service_circle_queue,
    service_circle_run,
)
from .stations import (
    opening_hours_create,
    opening_hours_delete,
    opening_hours_update,
    station_create,
    station_delete,
    station_facility_create,
    station_facility_delete,
    station_facility_update,
    station_refresh_compliance,
    station_set_facilities,
    station_set_hours,
    station_update,
    station_verdict,
    stations_refresh_compliance,
)

__all__ = [
    "CIRCLE_JOB",
    "cabinet_create",
    "cabinet_delete",
    "cabinet_restock",
    "cabinet_update",
    "checkin_record",
    "circle_config",
    "latest_circle_job",
    "opening_hours_create",
    "opening_hours_delete",
    "opening_hours_update",
    "service_circle_queue",
    "service_circle_run",
    "station_create",
    "station_delete",
    "station_facility_create",
    "station_facility_delete",
    "station_facility_update",
    "station_refresh_compliance",
    "station_set_facilities",
    "station_set_hours",
    "station_update",
    "station_verdict",
    "stations_refresh_compliance",
    "stock_create",
    "stock_delete",
    "stock_update",
]
