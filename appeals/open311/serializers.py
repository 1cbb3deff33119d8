"""Shapes of the GeoReport v2 documents, in JSON and (optionally in the spec) XML.

Plain functions over model instances: the spec's documents are flat lists of flat records,
so a tiny XML writer is enough. Nothing personal is ever put in a document: no contact name,
phone or submitter, and phone or ID numbers typed into a description are masked.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.redact import mask_in_text

from ..choices import SOLVED_STATUSES, Status
from ..models import Appeal, Category

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}


def w3c(moment: dt.datetime | None) -> str | None:
    """ISO 8601 with the offset (the spec's w3 subset), in Asia/Shanghai."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def safe_text(text: str) -> str:
    """Mask phone and ID numbers a submitter may have typed into free text."""
    return mask_in_text(text)


def open311_status(appeal: Appeal) -> str:
    """The spec knows two states: an appeal is ``closed`` once its reply was accepted (closed,
    visited, archived — merged duplicates are archived), ``open`` before."""
    return "closed" if appeal.status in SOLVED_STATUSES else "open"


def status_notes(appeal: Appeal) -> str:
    """What the worker may read about the state: our status, and the reply once given.
    Internal event notes are never used."""
    label = Status(appeal.status).label
    if appeal.duplicate_of_id:
        return _("Merged with another request about the same matter.")
    if appeal.reply:
        return f"{label}: {safe_text(appeal.reply)}"
    return str(label)


def service_notice(appeal: Appeal) -> str:
    if appeal.expected_at is None:
        return ""
    local = timezone.localtime(appeal.expected_at)
    return _("A reply is expected by %(when)s (Asia/Shanghai).") % {
        "when": local.strftime("%Y-%m-%d %H:%M")
    }


def service_record(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(category.keywords.split()),
        "group": _("Appeals of new employment groups"),
    }


def request_record(appeal: Appeal) -> dict[str, Any]:
    """One service request (the appeal needs ``category`` and ``assigned_organization``
    loaded)."""
    organization = appeal.assigned_organization
    return {
        "service_request_id": appeal.reference,
        "status": open311_status(appeal),
        "status_notes": status_notes(appeal),
        "service_name": appeal.category.name,
        "service_code": appeal.category.code,
        "description": safe_text(appeal.description),
        "agency_responsible": organization.name if organization is not None else "",
        "service_notice": service_notice(appeal),
        "requested_datetime": w3c(appeal.received_at),
        "updated_datetime": w3c(appeal.updated_at),
        "expected_datetime": w3c(appeal.expected_at),
        "address": safe_text(appeal.location),
        "address_id": "",
        "zipcode": "",
        "lat": appeal.latitude,
        "long": appeal.longitude,
        "media_url": appeal.media_url,
    }


def created_record(appeal: Appeal) -> dict[str, Any]:
    return {
        "service_request_id": appeal.reference,
        "service_notice": service_notice(appeal),
        "account_id": None,
    }


def error_records(code: int, descriptions: Iterable[str]) -> list[dict[str, Any]]:
    return [{"code": code, "description": text} for text in descriptions]


# --- rendering ----------------------------------------------------------------------------

#: document → (root element, item element) of the XML form.
XML_ROOTS = {
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
    "definition": ("service_definition", None),
}


def _xml_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def _xml_fields(record: Mapping[str, Any]) -> str:
    parts = []
    for key, value in record.items():
        if isinstance(value, list):
            inner = "".join(_xml_fields(item) for item in value)
            parts.append(f"<{key}>{inner}</{key}>")
        else:
            parts.append(f"<{key}>{_xml_value(value)}</{key}>")
    return "".join(parts)


def to_xml(document: str, data: Any) -> str:
    root, item = XML_ROOTS[document]
    if item is None:
        body = _xml_fields(data)
    else:
        body = "".join(f"<{item}>{_xml_fields(record)}</{item}>" for record in data)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>{body}</{root}>'


def respond(document: str, data: Any, fmt: str, status: int = 200) -> HttpResponse:
    content = to_xml(document, data) if fmt == "xml" else json.dumps(data, ensure_ascii=False)
    return HttpResponse(content, status=status, content_type=CONTENT_TYPES[fmt])
