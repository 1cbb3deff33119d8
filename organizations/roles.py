"""The role groups and the model permissions each holds.

Groups give *what kind of action* a user may take; scope grants give *on which records*. Each
app lists its grants in ``<app>/roles.py`` as ``ROLE_GRANTS``; :func:`apply_all_role_grants`
applies them all after every ``migrate`` (a ``post_migrate`` receiver), never from a migration.
"""

import importlib

DEPARTMENT_STAFF = "组织部工作人员"
INDUSTRY_SECRETARY = "行业党委书记"
DISTRICT_OFFICER = "区街道工作人员"
PARTNER_SYSTEM = "合作方系统"
#: Staff of a task-force member unit (工作专班成员单位, e.g. the postal administration): they see
#: and answer what is assigned to their unit (a ``department`` scope grant).
MEMBER_UNIT_STAFF = "成员单位工作人员"
ROLE_GROUPS = (
    DEPARTMENT_STAFF,
    INDUSTRY_SECRETARY,
    DISTRICT_OFFICER,
    PARTNER_SYSTEM,
    MEMBER_UNIT_STAFF,
)

ALL = ("view", "add", "change", "delete")
VIEW = ("view",)

_REFERENCE = ("region", "department", "industry")
_WORK = (
    "partyorganization",
    "enterprise",
    "instructor",
    "instructorassignment",
    "instructorevaluation",
)

#: (group, app label, {model name: actions})
ROLE_GRANTS = [
    (DEPARTMENT_STAFF, "organizations", {m: ALL for m in (*_REFERENCE, *_WORK, "scopegrant")}),
    (DEPARTMENT_STAFF, "core", {"auditevent": VIEW, "jobrun": VIEW, "apikey": ALL}),
    (
        INDUSTRY_SECRETARY,
        "organizations",
        {**{m: VIEW for m in _REFERENCE}, **{m: ALL for m in _WORK}},
    ),
    (INDUSTRY_SECRETARY, "core", {"jobrun": VIEW}),
    (
        DISTRICT_OFFICER,
        "organizations",
        {
            **{m: VIEW for m in (*_REFERENCE, *_WORK)},
            "enterprise": ("view", "add", "change"),
            "instructorassignment": ALL,
        },
    ),
    (PARTNER_SYSTEM, "organizations", {"region": VIEW, "industry": VIEW, "enterprise": VIEW}),
    (MEMBER_UNIT_STAFF, "organizations", {m: VIEW for m in _REFERENCE}),
]


def grant_permissions(apps, group_name: str, app_label: str, models_actions: dict) -> None:
    """Add ``{model_name: actions}`` permissions of ``app_label`` to the group."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    # Permissions are normally created after migrate; create them now so the group gets them.
    if getattr(app_config, "models_module", None) is None:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _ = group_model.objects.get_or_create(name=group_name)
    codenames = [f"{a}_{m}" for m, actions in models_actions.items() for a in actions]
    perms = permission_model.objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )
    group.permissions.add(*perms)


def apply_role_grants(apps, grants) -> None:
    for group_name, app_label, models_actions in grants:
        grant_permissions(apps, group_name, app_label, models_actions)


def apply_all_role_grants(**kwargs) -> None:
    """Create the role groups and give them every app's ``ROLE_GRANTS`` (``<app>.roles``).

    Connected to ``post_migrate`` (``OrganizationsConfig.ready``), so it runs after every
    ``migrate`` and after a test flush, with the app code as it is now: migrations never import
    it. Idempotent: it only adds what is missing."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # a flush removed the cached content types too
    for app_config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{app_config.name}.roles")
        except ModuleNotFoundError:
            continue
        apply_role_grants(apps, getattr(module, "ROLE_GRANTS", []))


def is_partner_service(user) -> bool:
    """A partner system's service user (the API-key users): in the partner group, or holding
    only partner (platform) scope grants. Its key is for the API; it never signs in to the
    portal or the admin. A superuser is never one."""
    if user is None or not getattr(user, "pk", None) or getattr(user, "is_superuser", False):
        return False
    return user.groups.filter(name=PARTNER_SYSTEM).exists() or is_partner_by_grants(user)


def is_partner_by_grants(user) -> bool:
    """The partner test from the user's scope grants alone (cached with the user, so no query
    on a page request): only partner (platform) grants, none that would make the pages useful."""
    if user is None or getattr(user, "is_superuser", False):
        return False
    from .scoping import grants_for

    grants = grants_for(user)
    return bool(grants.platform_ids) and not (
        grants.city_wide or grants.organizations or grants.regions or grants.department_ids
    )
