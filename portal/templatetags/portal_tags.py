"""Small template helpers for the portal shell."""

from django import template
from django.urls import Resolver404, resolve

register = template.Library()


@register.simple_tag
def path_exists(path: str) -> bool:
    """Whether ``path`` is routed, so the navigation links only to pages that exist."""
    try:
        resolve(path)
    except Resolver404:
        return False
    return True
