from django.db import migrations

from organizations.roles import (
    ALL,
    DEPARTMENT_STAFF,
    DISTRICT_OFFICER,
    INDUSTRY_SECRETARY,
    PARTNER_SYSTEM,
    VIEW,
    grant_permissions,
)

REFERENCE = ("region", "department", "industry")
WORK = ("partyorganization", "enterprise", "instructor", "instructorassignment",
        "instructorevaluation")


def create_groups(apps, schema_editor):
    grant_permissions(apps, DEPARTMENT_STAFF, "organizations",
                      {m: ALL for m in (*REFERENCE, *WORK, "scopegrant")})
    grant_permissions(apps, DEPARTMENT_STAFF, "core",
                      {"auditevent": VIEW, "jobrun": VIEW, "apikey": ALL})
    grant_permissions(apps, INDUSTRY_SECRETARY, "organizations",
                      {**{m: VIEW for m in REFERENCE}, **{m: ALL for m in WORK}})
    grant_permissions(apps, INDUSTRY_SECRETARY, "core", {"jobrun": VIEW})
    grant_permissions(apps, DISTRICT_OFFICER, "organizations",
                      {**{m: VIEW for m in (*REFERENCE, *WORK)},
                       "enterprise": ("view", "add", "change"),
                       "instructorassignment": ALL})
    grant_permissions(apps, PARTNER_SYSTEM, "organizations",
                      {"region": VIEW, "industry": VIEW, "enterprise": VIEW})


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(
        name__in=[DEPARTMENT_STAFF, INDUSTRY_SECRETARY, DISTRICT_OFFICER, PARTNER_SYSTEM]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
