"""Locate every party member where the organization hosting them is, else the one holding
their relation (``PartyMember.derive_region``); members with neither keep their work region."""

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def locate(apps, schema_editor):
    PartyMember = apps.get_model("members", "PartyMember")
    PartyOrganization = apps.get_model("organizations", "PartyOrganization")

    def region_of(path):
        return Subquery(
            PartyOrganization.objects.filter(pk=OuterRef(path)).values("region_id")[:1]
        )

    PartyMember.objects.exclude(
        organization__isnull=True, host_organization__isnull=True
    ).update(
        region_id=Coalesce(
            region_of("host_organization_id"), region_of("organization_id"), "region_id"
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_proposal_uncertainty"),
        ("organizations", "0001_initial"),
    ]

    operations = [migrations.RunPython(locate, migrations.RunPython.noop)]
