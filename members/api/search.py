"""Exact lookups by resident ID number or phone: a POST search, never a query string.

A value in a URL ends up in access logs, proxies and browser history (issue 20). The list
endpoints refuse ``?id_number=``/``?phone=`` with a field error naming the search endpoint;
``POST <list>/search/`` takes the values in the body and answers the list's page format.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from core import pii
from core.api.permissions import ReadByPostPermissions

#: The protected values a person can be looked up by.
PROTECTED_LOOKUPS = ("id_number", "phone")


class ProtectedSearchSerializer(serializers.Serializer):
    id_number = serializers.CharField(
        required=False, allow_blank=True, max_length=32, label=_("resident ID number (exact)")
    )
    phone = serializers.CharField(
        required=False, allow_blank=True, max_length=32, label=_("phone (exact)")
    )

    def validate(self, attrs):
        attrs = {k: v.strip() for k, v in attrs.items() if v and v.strip()}
        if not attrs:
            raise serializers.ValidationError(
                {"id_number": gettext("Give a resident ID number, a phone number or both.")}
            )
        return attrs


def without_protected_lookups(filterset_class):
    """``filterset_class`` without its exact ID/phone filters: the API's FilterSet (the portal
    keeps them, with values as blind-index tokens in its links)."""
    api_class = type(f"API{filterset_class.__name__}", (filterset_class,), {"__module__": __name__})
    # Set after the class is made: the FilterSet metaclass computes ``base_filters`` itself.
    api_class.base_filters = {
        k: v for k, v in filterset_class.base_filters.items() if k not in PROTECTED_LOOKUPS
    }
    return api_class


class ProtectedSearchMixin:
    """For a scoped viewset of people: ``?id_number=``/``?phone=`` refused, ``POST search/``."""

    def list(self, request, *args, **kwargs):
        given = [name for name in PROTECTED_LOOKUPS if name in request.query_params]
        if given:
            message = gettext(
                "Personal data never goes in a URL: look people up by ID number or phone "
                "with POST %(path)s."
            ) % {"path": request.path.rstrip("/") + "/search/"}
            raise serializers.ValidationError({name: [message] for name in given})
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=ProtectedSearchSerializer,
        summary=_("Find people by exact resident ID number and/or phone"),
        description=_(
            "The values go in the body, never in the URL; they are matched through their "
            "blind index within your scope. Answers the list's page format."
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        permission_classes=[ReadByPostPermissions],
        filterset_class=None,
    )
    def search(self, request):
        terms = ProtectedSearchSerializer(data=request.data)
        terms.is_valid(raise_exception=True)
        queryset = self.get_queryset()
        for name, value in terms.validated_data.items():
            queryset = queryset.filter(pii.protected_lookup(queryset.model, name, value))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
