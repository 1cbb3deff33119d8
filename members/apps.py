from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Workers and party members")

    def ready(self):
        # Members are located where their organization is: they follow when it moves.
        from organizations.health import MEMBER_COUNTS
        from organizations.services import REGION_CHANGED_HOOKS

        from .selectors import organization_member_counts
        from .services.people import members_relocate

        if members_relocate not in REGION_CHANGED_HOOKS:
            REGION_CHANGED_HOOKS.append(members_relocate)
        # The organization tree's member counts and suspension flags come from here.
        if organization_member_counts not in MEMBER_COUNTS:
            MEMBER_COUNTS.append(organization_member_counts)
