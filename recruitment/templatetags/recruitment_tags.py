from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (a stage's count in a row of the board)."""
    return mapping.get(key, 0) if mapping else 0  # a missing stage has nobody in it
