"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): the standard intake and
status face that hotline systems (12345) already speak. Our appeal categories are the
services; an appeal is a service request whose ``service_request_id`` is its reference."""
