"""Issue 14 for members: every party member is located where the organization hosting them
is, else the one holding their relation (``PartyMember.derive_region``; members with neither
keep their work region); a member report records the personal-information notice its
reporter accepted (consent) and when."""

from django.db import migrations, models
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

    operations = [
        migrations.RunPython(locate, migrations.RunPython.noop),
        migrations.AddField(
            model_name="memberclaim",
            name="consented_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="consent given at"),
        ),
        migrations.AddField(
            model_name="memberclaim",
            name="notice_version",
            field=models.CharField(blank=True, max_length=32, verbose_name="notice accepted"),
        ),
    ]
