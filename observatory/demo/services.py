"""Everything `make demo` loads: the demo geography and one account per role."""
from observatory.accounts.models import User
from observatory.accounts.roles import Role
from observatory.accounts.services import user_create
from observatory.geography.services.demo import demo_geography_load

# Demo accounts only: `load_demo` never runs in production, and the README lists these.
DEMO_ACCOUNTS = [
    ("admin", Role.ADMIN, ""),
    ("analista", Role.ANALYST, ""),
    ("comandante", Role.COMMANDER, ""),
    ("policia", Role.SOURCE_UPLOADER, "police"),
    ("forense", Role.SOURCE_UPLOADER, "coroner"),
    ("hospital", Role.SOURCE_UPLOADER, "hospital"),
]
DEMO_PASSWORD = "observatorio-demo"


def demo_accounts_ensure() -> list[str]:
    lines = []
    for username, role, source_code in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user_create(username=username, password=DEMO_PASSWORD, role=role, source_code=source_code)
        lines.append(f"demo account created: {username} ({role.label})")
    return lines


def demo_load() -> list[str]:
    return demo_geography_load().lines + demo_accounts_ensure()
