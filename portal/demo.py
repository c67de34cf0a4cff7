"""Demo accounts (and, as the domain apps arrive, demo records in every state). Used by
``manage.py load_demo`` and by the browser tests, so both see the same world."""

from django.contrib.auth.models import Group
from django.db import transaction

from . import roles
from .models import Institution, User

DEMO_PASSWORD = "demo-2026"

# username, display name, role, is_superuser
DEMO_STAFF = [
    ("admin", "系统管理员", None, True),
    ("centre", "王审核（鉴定中心）", roles.CENTRE, False),
    ("bureau", "李处长（市人社局）", roles.BUREAU, False),
    ("expert1", "赵专家", roles.EXPERT, False),
    ("expert2", "钱专家", roles.EXPERT, False),
    ("expert3", "孙专家", roles.EXPERT, False),
    ("expert4", "周专家", roles.EXPERT, False),
]

# username, institution name, credit code (valid GB 32100 check characters)
DEMO_APPLICANTS = [
    ("applicant", "天津市海河装备制造有限公司", "91120116MA05K1XQ0B"),
    ("applicant2", "天津市烹饪协会", "51120000MJ0A4B1C2A"),
]


def _valid_credit_code(code17: str) -> str:
    from stdnum.cn import uscc

    return code17 + uscc.calc_check_digit(code17)


@transaction.atomic
def load_demo_accounts() -> list[tuple[str, str, str]]:
    """Creates the demo logins (idempotent) and returns (username, password, description) rows."""
    logins = []
    for username, name, role, superuser in DEMO_STAFF:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = superuser or role == roles.CENTRE
            user.is_superuser = superuser
            user.email = f"{username}@example.org"
            user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
        logins.append((username, DEMO_PASSWORD, str(roles.ROLE_LABELS.get(role, "超级管理员"))))
    for username, inst_name, code in DEMO_APPLICANTS:
        code = _valid_credit_code(code[:17])
        institution, _ = Institution.objects.get_or_create(
            credit_code=code,
            defaults={
                "name": inst_name,
                "contact_name": "张联系",
                "contact_phone": "022-23456789",
                "contact_email": f"{username}@example.org",
            },
        )
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": "张联系", "institution": institution}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.email = f"{username}@example.org"
            user.save()
        user.groups.add(Group.objects.get(name=roles.APPLICANT))
        logins.append((username, DEMO_PASSWORD, f"{roles.ROLE_LABELS[roles.APPLICANT]}：{inst_name}"))
    return logins
