from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    """The ecosystem chain (生态链): job fairs (直播带岗), enterprise whistles (企业吹哨·部门报到)
    and the mass organizations the party leads (一引三带), one feature subpackage each."""

    name = "ecosystem"
    verbose_name = _("Ecosystem")
