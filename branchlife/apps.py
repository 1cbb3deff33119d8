from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchlifeConfig(AppConfig):
    name = "branchlife"
    verbose_name = _("Organization life")
