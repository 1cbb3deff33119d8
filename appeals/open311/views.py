"""Open311 GeoReport v2 endpoints (https://wiki.open311.org/GeoReport_v2).

* ``GET services.{json,xml}``, ``GET services/{code}.{json,xml}``: the categories (public);
* ``POST requests.{json,xml}`` (form-encoded, with ``api_key``): a new appeal through
  :func:`appeals.services.appeal_create` on the hotline channel, the key's partner user
  recorded as ``submitted_by``; the reference is returned synchronously (no token);
* ``GET requests.{json,xml}``, ``GET requests/{id}.{json,xml}`` (with ``api_key``): the
  partner's own requests only; another partner's id answers 404.

``jurisdiction_id`` is optional (we serve one jurisdiction, ``OPEN311_JURISDICTION_ID``); a
different one answers 404 as the spec says. Errors are the spec's
``[{"code": 400, "description": "..."}]`` with the same HTTP status. These are plain Django
views, not DRF: the spec fixes the documents, the error format and form encoding, and the key
travels as a parameter rather than a header (a header is accepted too).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core.api.authentication import KeyRefused, PartnerAPIKeyAuthentication, user_for_key
from core.api.throttling import partner_key_allowed
from core.filters import YEAR_MAX, YEAR_MIN
from core.text import TEXT_MAX_LENGTH, has_control_characters
from members.models import Worker
from organizations import scoping

from ..choices import OPEN_STATUSES, SOLVED_STATUSES, Channel
from ..models import Appeal
from ..services import appeal_create
from . import selectors
from .serializers import (
    created_record,
    error_records,
    request_record,
    respond,
    service_record,
)

#: Default and longest span of a requests search (days), and the most results returned.
SEARCH_DAYS = 90
MAX_RESULTS = 1000

#: Our field names in service errors → the spec's parameter names.
PARAMETERS = {
    "category": "service_code",
    "description": "description",
    "location": "address_string",
    "latitude": "lat",
    "longitude": "long",
    "contact_name": "first_name",
    "contact_phone": "phone",
}


class Open311Error(Exception):
    def __init__(self, code: int, *descriptions: str):
        super().__init__(code, descriptions)
        self.code = code
        self.descriptions = descriptions


def jurisdiction() -> str:
    return getattr(settings, "OPEN311_JURISDICTION_ID", "changzhou.gov.cn")


def _error(exc: Open311Error, fmt: str) -> HttpResponse:
    return respond("errors", error_records(exc.code, exc.descriptions), fmt, status=exc.code)


def _params(request: HttpRequest):
    return request.POST if request.method == "POST" else request.GET


def _check_text(request: HttpRequest, path_args: dict) -> None:
    """Every parameter is text without control characters and within the longest text the
    portal takes (core.text), else 400 naming it: nothing reaches the database or a parser."""
    values = [*request.GET.lists(), *request.POST.lists()]
    values += [(name, [value]) for name, value in path_args.items() if isinstance(value, str)]
    for name, items in values:
        for value in items:
            if has_control_characters(value) or has_control_characters(name):
                raise Open311Error(
                    400, _("%(name)s: control characters are not allowed.") % {"name": name[:32]}
                )
            if len(value) > TEXT_MAX_LENGTH:
                _too_long(name, TEXT_MAX_LENGTH)


def _too_long(name: str, limit: int):
    raise Open311Error(
        400,
        _("%(name)s may have at most %(limit)s characters.") % {"name": name[:32], "limit": limit},
    )


def _limited(value: str, name: str, limit: int) -> str:
    """``value`` if it fits in ``limit`` characters; a 400 naming the parameter otherwise
    (never cut short)."""
    if len(value) > limit:
        _too_long(name, limit)
    return value


def _check_jurisdiction(request: HttpRequest) -> None:
    given = (_params(request).get("jurisdiction_id") or "").strip()
    if given and given != jurisdiction():
        raise Open311Error(404, _("jurisdiction_id %(id)s was not found.") % {"id": given[:64]})


def _partner(request: HttpRequest, permission: str = "appeals.view_appeal") -> Any:
    """The user of a valid, unrevoked partner key (``api_key``, else the ``Authorization:
    Api-Key`` or ``X-Api-Key`` header), or 403 as the spec says."""
    key = (_params(request).get("api_key") or "").strip()
    key = key or PartnerAPIKeyAuthentication.key_parser.get(request) or ""
    if not key:
        raise Open311Error(403, _("api_key was not provided."))
    try:
        user, record = user_for_key(key)
    except KeyRefused as exc:
        raise Open311Error(403, str(exc)) from None
    if not user.has_perm(permission):
        raise Open311Error(403, _("This api_key may not use the appeals service."))
    if not partner_key_allowed(request, user=user, key=record):
        raise Open311Error(429, _("Too many requests with this api_key; try again later."))
    return user


def _guarded(view):
    """Run ``view(request, fmt, ...)`` turning :class:`Open311Error` into the spec's error
    document."""

    def wrapper(request: HttpRequest, fmt: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            _check_text(request, kwargs)
            _check_jurisdiction(request)
            return view(request, fmt, *args, **kwargs)
        except Open311Error as exc:
            return _error(exc, fmt)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# --- services --------------------------------------------------------------------------------


@require_GET
@_guarded
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET Service List."""
    return respond("services", [service_record(c) for c in selectors.services_list()], fmt)


@require_GET
@_guarded
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    """GET Service Definition: our services take no extra attributes (``metadata`` false)."""
    if not selectors.services_list().filter(code=code).exists():
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code[:32]})
    return respond("definition", {"service_code": code, "attributes": []}, fmt)


# --- requests --------------------------------------------------------------------------------


@csrf_exempt  # a machine API authenticated by its key, never by a browser cookie
@require_http_methods(["GET", "POST"])
@_guarded
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """POST Service Request / GET Service Requests."""
    if request.method == "POST":
        return _create(request, fmt, _partner(request, "appeals.add_appeal"))
    user = _partner(request)
    return respond("requests", [request_record(a) for a in _search(request, user)], fmt)


@require_GET
@_guarded
def request_detail(request: HttpRequest, fmt: str, reference: str) -> HttpResponse:
    """GET Service Request: one of the partner's own requests; anything else is 404."""
    user = _partner(request)
    appeal = selectors.requests_for(user).filter(reference=reference).first()
    if appeal is None:
        raise Open311Error(
            404, _("service_request_id %(id)s was not found.") % {"id": reference[:32]}
        )
    return respond("requests", [request_record(appeal)], fmt)


def _moment(name: str, value: str) -> dt.datetime:
    parsed = parse_datetime(value.strip().replace(" ", "+"))
    if parsed is None:
        raise Open311Error(
            400,
            _("%(name)s must be a date and time in W3C format, e.g. 2026-03-02T09:00:00+08:00.")
            % {"name": name},
        )
    if not YEAR_MIN <= parsed.year <= YEAR_MAX:
        raise Open311Error(
            400,
            _("%(name)s must be between the years %(low)s and %(high)s.")
            % {"name": name, "low": YEAR_MIN, "high": YEAR_MAX},
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _search(request: HttpRequest, user: Any):
    """The filters of GET Service Requests. ``service_request_id`` overrides the others;
    without dates the last 90 days are returned; at most 1000 requests."""
    params = request.GET
    qs = selectors.requests_for(user)
    ids = [v.strip() for v in params.get("service_request_id", "").split(",") if v.strip()]
    if ids:
        return list(qs.filter(reference__in=ids[:MAX_RESULTS]))
    codes = [v.strip() for v in params.get("service_code", "").split(",") if v.strip()]
    if codes:
        qs = qs.filter(category__code__in=codes)
    states = {v.strip().lower() for v in params.get("status", "").split(",") if v.strip()}
    unknown = states - {"open", "closed"}
    if unknown:
        raise Open311Error(400, _("status must be open, closed or both (comma-separated)."))
    if states == {"open"}:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif states == {"closed"}:
        qs = qs.filter(status__in=SOLVED_STATUSES)
    span = dt.timedelta(days=SEARCH_DAYS)
    start = _moment("start_date", params["start_date"]) if params.get("start_date") else None
    end = _moment("end_date", params["end_date"]) if params.get("end_date") else None
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - span
    if end is None:
        end = start + span
    if end < start:
        raise Open311Error(400, _("end_date must not be before start_date."))
    if end - start > span:
        raise Open311Error(
            400, _("A search may not span more than %(days)s days.") % {"days": SEARCH_DAYS}
        )
    return list(qs.filter(received_at__gte=start, received_at__lte=end)[:MAX_RESULTS])


def _max(field: str) -> int:
    return Appeal._meta.get_field(field).max_length


def _float(params, name: str) -> float | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise Open311Error(400, _("%(name)s must be a number.") % {"name": name})
    return number


def _create(request: HttpRequest, fmt: str, user: Any) -> HttpResponse:
    params = request.POST
    code = (params.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    category = selectors.services_list().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code[:32]})
    lat, lng = _float(params, "lat"), _float(params, "long")
    address = _limited(
        (params.get("address_string") or "").strip(), "address_string", _max("location")
    )
    if (lat is None or lng is None) and not address:
        raise Open311Error(400, _("A location is required: lat and long, or address_string."))
    description = (params.get("description") or "").strip()
    media = _limited((params.get("media_url") or "").strip(), "media_url", _max("media_url"))
    if media:
        try:
            URLValidator(schemes=["http", "https"])(media)
        except ValidationError:
            raise Open311Error(400, _("media_url must be an http(s) URL.")) from None
    name = " ".join(
        part
        for part in (
            (params.get("last_name") or "").strip(),
            (params.get("first_name") or "").strip(),
        )
        if part
    )
    data: dict[str, Any] = {
        "category": category,
        "description": description,
        "media_url": media,
        "location": address,
        "latitude": lat,
        "longitude": lng,
        "contact_name": _limited(name, "first_name + last_name", _max("contact_name")),
        "contact_phone": (params.get("phone") or "").strip(),
    }
    submitter = _account_worker(user, (params.get("account_id") or "").strip())
    if submitter is not None:
        data["submitter"] = submitter
    try:
        appeal = appeal_create(actor=user, data=data, channel=Channel.HOTLINE)
    except ValidationError as exc:
        raise Open311Error(400, *_messages(exc)) from None
    return respond("requests", [created_record(appeal)], fmt, status=201)


def _account_worker(user: Any, account_id: str) -> Worker | None:
    """The worker whose id in the partner's own platform roster is ``account_id``."""
    platform_ids = scoping.grants_for(user).platform_ids
    if not account_id or not platform_ids:
        return None
    return (
        Worker.objects.filter(platform_id__in=platform_ids, external_id=account_id)
        .order_by("pk")
        .first()
    )


def _messages(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    out = []
    for field, errors in exc.message_dict.items():
        name = PARAMETERS.get(field, field)
        out += [f"{name}: {message}" for message in errors]
    return out
