# The lookup log of issue 8 (public lookup and verification).

import django.utils.timezone
from django.db import migrations, models

from portal.groups import grant


def grant_permissions(apps, schema_editor):
    # Centre staff read the lookup log in the admin too (the portal page shows counts and bursts).
    grant(apps, schema_editor, {"centre_staff": ["certificates.view_lookupevent"]})


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_grants"),
        ("portal", "0002_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="LookupEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("lookup", "网页查询"),
                            ("verify", "扫码核验"),
                            ("api", "接口查询"),
                            ("download", "下载电子证书"),
                        ],
                        max_length=10,
                        verbose_name="类型",
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("found", "查到"),
                            ("not_found", "未查到"),
                            ("valid", "有效"),
                            ("revoked", "已撤销"),
                            ("mismatch", "与登记记录不符"),
                            ("unsigned", "缺少签名"),
                            ("invalid", "请求不完整"),
                            ("limited", "超出频率限制"),
                        ],
                        max_length=10,
                        verbose_name="结果",
                    ),
                ),
                ("ip_hash", models.CharField(max_length=16, verbose_name="来源地址摘要")),
                ("code", models.CharField(blank=True, max_length=22, verbose_name="证书编号")),
            ],
            options={
                "verbose_name": "证书查询记录",
                "verbose_name_plural": "证书查询记录",
                "ordering": ["-at"],
                "indexes": [
                    models.Index(fields=["at"], name="certificates_lookup_at"),
                    models.Index(fields=["ip_hash", "at"], name="certificates_lookup_ip_at"),
                ],
            },
        ),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
