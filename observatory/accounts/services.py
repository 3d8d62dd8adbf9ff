from django.db import transaction
from django.utils import timezone

from observatory.client_address import client_address

from .models import ApiKey, AuditEvent, User
from .roles import Role


def audit_record(
    *,
    actor: User | None,
    action: str,
    target_type: str = "",
    target_id: str | int = "",
    detail: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    actor_label = actor.get_username() if actor is not None and actor.is_authenticated else "system"
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        detail=detail or {},
        ip_address=ip_address,
    )


@transaction.atomic
def audit_personal_data_read(
    *, request, action: str, target_type: str = "", target_id: str | int = "", detail: dict | None = None
) -> AuditEvent:
    """A person read names or ID numbers: who, what, from where (docs/privacy.md: every such read is logged)."""
    return audit_record(
        actor=request.user,
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
        ip_address=client_address(request),
    )


def user_set_role(
    *, user: User, role: Role, source_code: str = "", changed_by: User | None = None, ip_address: str | None = None
) -> User:
    """Give a user a role; staff access to the admin follows the role (analysts edit mappings there)."""
    previous = (user.role, user.source_code)
    user.role = role
    user.source_code = source_code if role == Role.SOURCE_UPLOADER else ""
    user.is_staff = role in (Role.ANALYST, Role.ADMIN)
    user.is_superuser = role == Role.ADMIN
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=changed_by,
        action="user.role_changed",
        target_type="user",
        target_id=user.pk,
        detail={"username": user.username, "from": list(previous), "to": [user.role, user.source_code]},
        ip_address=ip_address,
    )
    return user


@transaction.atomic
def user_create(
    *, username: str, password: str, role: Role, source_code: str = "", email: str = "", created_by: User | None = None
) -> User:
    user = User(username=username, email=email)
    user.set_password(password)
    user.save()
    return user_set_role(user=user, role=role, source_code=source_code, changed_by=created_by)


@transaction.atomic
def api_key_create(*, name: str, created_by: User | None = None) -> tuple[ApiKey, str]:
    """Returns the key and its raw value, which is not stored and cannot be shown again."""
    raw_key = ApiKey.generate_raw_key()
    api_key = ApiKey.objects.create(name=name, prefix=raw_key[:12], key_hash=ApiKey.hash_key(raw_key))
    audit_record(
        actor=created_by,
        action="api_key.created",
        target_type="api_key",
        target_id=api_key.pk,
        detail={"name": name, "prefix": api_key.prefix},
    )
    return api_key, raw_key


def api_key_touch(*, api_key: ApiKey) -> None:
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())


def user_mark_alerts_seen(*, user: User) -> None:
    """The bell counts the alerts raised after this moment."""
    User.objects.filter(pk=user.pk).update(alerts_seen_at=timezone.now())
