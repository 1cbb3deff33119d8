"""Template filters for figures (:mod:`core.figures`): ``{{ n|number }}``, ``{{ m|yuan }}``,
``{{ m|wan_yuan }}``."""

from django import template

from core import figures

register = template.Library()

register.filter("number", figures.number)
register.filter("yuan", figures.yuan)
register.filter("yuan_amount", figures.yuan_amount)
register.filter("wan_yuan", figures.wan_yuan)
