from .roles_assistance import ROLE_GRANTS_ASSISTANCE as ROLE_GRANTS

__all__ = ["ROLE_GRANTS"]
