import django.db.models.deletion
from django.db import migrations, models


def link_appeals(apps, schema_editor):
    """Disbursements that named an appeal by its reference number now point at it."""
    Appeal = apps.get_model("appeals", "Appeal")
    Disbursement = apps.get_model("appeals", "Disbursement")
    for disbursement in Disbursement.objects.exclude(appeal_reference=""):
        appeal = Appeal.objects.filter(reference=disbursement.appeal_reference.upper()).first()
        if appeal is not None:
            disbursement.appeal = appeal
            disbursement.save(update_fields=["appeal"])


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0005_appeal_media_url"),
    ]

    operations = [
        migrations.AddField(
            model_name="disbursement",
            name="appeal",
            field=models.ForeignKey(
                blank=True,
                help_text="The appeal this aid answers, if any.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="disbursements",
                to="appeals.appeal",
                verbose_name="appeal",
            ),
        ),
        migrations.RunPython(link_appeals, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="disbursement",
            name="appeal_reference",
        ),
    ]
