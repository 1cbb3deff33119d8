"""OpenAPI (drf-spectacular) descriptions of the core API classes; imported by the API urlconf."""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class PartnerAPIKeyScheme(OpenApiAuthenticationExtension):
    target_class = "core.api.authentication.PartnerAPIKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>` (or the key alone in an `X-Api-Key` header).",
        }


# --- error responses -------------------------------------------------------------------------

ERROR_SCHEMA = {
    "type": "object",
    "description": "The one error format of the API (core.api.errors).",
    "properties": {
        "code": {"type": "string", "description": "Machine-readable error code."},
        "message": {"type": "string", "description": "Human-readable message (zh-Hans)."},
        "fields": {
            "type": "object",
            "description": "Field-level messages, keyed by field path; empty when none.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "request_id": {"type": "string", "description": "Id of the request in the logs."},
    },
    "required": ["code", "message", "fields", "request_id"],
}

_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_DESCRIPTIONS = {
    "400": "Invalid input: field-level messages in `fields`; nothing was written.",
    "401": "Not authenticated (no or an invalid API key or session).",
    "403": "Authenticated but not permitted (or a session write without its CSRF token).",
    "404": "Not found, or outside the caller's scope (the two answer alike); an unknown cursor.",
    "409": "Another request wrote the same records at the same moment; nothing was written.",
    "422": "The `Idempotency-Key` was used before with another request body.",
    "429": "Too many requests; retry after the `Retry-After` header's seconds.",
    "500": "Server error, in the same format (the `request_id` finds it in the logs).",
}
_WRITES = {"post", "put", "patch", "delete"}


def _error_statuses(method: str, operation: dict) -> list[str]:
    params = operation.get("parameters", [])
    statuses = []
    takes_input = "requestBody" in operation or any(
        p.get("in") in ("query", "header") for p in params
    )
    # A write can be refused as a whole too (a delete of a record others still point at).
    if takes_input or method in _WRITES:
        statuses.append("400")
    if operation.get("security") != [{}]:
        statuses += ["401", "403"]
    statuses.append("404")
    if method in _WRITES:
        statuses.append("409")
    if any(p.get("in") == "header" and p.get("name") == "Idempotency-Key" for p in params):
        statuses.append("422")
    statuses += ["429", "500"]
    return statuses


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the error answers it can
    give (400 with input, 401/403 when authenticated, 404, 409 on writes, 422 with an
    ``Idempotency-Key``, 429, 500), all in the one error format."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status in _error_statuses(method, operation):
                responses.setdefault(
                    status,
                    {
                        "description": _DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": _ERROR_REF}},
                    },
                )
    return result


# --- read-only fields as they answer ------------------------------------------------------------


def _model_source_facts(model, source_attrs: list[str]) -> tuple[bool, bool]:
    """(may be null, may be blank) for a dotted source on ``model``: null if any relation on the
    way or the last field is nullable, blank if the last field allows blank."""
    nullable = False
    field = None
    for attr in source_attrs:
        if model is None:
            return False, False
        try:
            field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False, False
        if field.one_to_many or field.many_to_many:
            return False, False
        nullable = nullable or bool(getattr(field, "null", False))
        model = field.related_model if field.is_relation else None
    return nullable, bool(field is not None and getattr(field, "blank", False))


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with read-only model fields typed as they answer: DRF drops
    ``allow_null``/``allow_blank`` from read-only fields, so a nullable foreign key shown by code
    or a blank choice would otherwise be documented as never null / never ``""``."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if getattr(field, "read_only", False):
            self._restore_null_and_blank(field)
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if not isinstance(schema, dict):
            return schema
        if isinstance(field, serializers.SlugRelatedField) and schema.get("type") == "string":
            # A reference by code: as long as the code can be.
            queryset = getattr(field, "queryset", None)
            try:
                model = getattr(queryset, "model", None)
                slug = model._meta.get_field(field.slug_field) if model is not None else None
            except FieldDoesNotExist:
                slug = None
            if getattr(slug, "max_length", None):
                schema.setdefault("maxLength", slug.max_length)
        if isinstance(field, serializers.TimeField) and schema.get("format") == "time":
            # A local wall-clock time ("09:00:00"), not RFC 3339's full-time with an offset.
            schema.pop("format")
            schema["pattern"] = r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if (
            isinstance(field, serializers.CharField)
            and getattr(field, "allow_blank", False)
            and schema.get("format") in ("uri", "email")
        ):
            # "" is a valid answer (and input) here, which no "uri"/"email" string is.
            schema.pop("format")

    @staticmethod
    def _restore_null_and_blank(field) -> None:
        parent = getattr(field, "parent", None)
        model = getattr(getattr(parent, "Meta", None), "model", None)
        source_attrs = getattr(field, "source_attrs", None)
        if model is None or not source_attrs or field.source == "*":
            return
        nullable, blank = _model_source_facts(model, source_attrs)
        if nullable:
            field.allow_null = True
        if blank and isinstance(field, serializers.ChoiceField | serializers.CharField):
            field.allow_blank = True


def counted_list(serializer_class, name: str):
    """The schema of an unpaginated list answered as ``{"count": n, "results": [...]}``."""
    from drf_spectacular.utils import inline_serializer

    return inline_serializer(
        name=name,
        fields={
            "count": serializers.IntegerField(),
            "results": serializer_class(many=True),
        },
    )
