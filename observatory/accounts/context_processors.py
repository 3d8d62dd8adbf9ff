from .roles import Capability, has_capability, role_of


def role(request) -> dict:
    """The user's role and capabilities, for navigation that shows each role only its own pages."""
    user = getattr(request, "user", None)
    return {
        "user_role": role_of(user),
        "capabilities": {capability.value for capability in Capability if has_capability(user, capability)},
    }
