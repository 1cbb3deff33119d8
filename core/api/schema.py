"""OpenAPI (drf-spectacular) descriptions of the core API classes; imported by the API urlconf."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
