"""The permissions of core's own models that the role groups hold.

Same format as ``organizations.roles.ROLE_GRANTS`` (group, app label, {model name: actions}),
with the group named literally because core imports no app. Codenames are
``f"{action}_{model}"``: the entry ``"pii": ("reveal",)`` is the custom permission
``core.reveal_pii`` (declared in ``PIIAccessLog.Meta.permissions``).
"""

DEPARTMENT_STAFF = "组织部工作人员"  # organizations.roles.DEPARTMENT_STAFF

ROLE_GRANTS = [
    (DEPARTMENT_STAFF, "core", {"piiaccesslog": ("view",), "pii": ("reveal",)}),
]
