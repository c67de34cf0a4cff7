"""Shared by the filings and certification migrations that move their EmailNotice rows into
portal.OutboxMail (one mail table): every field kept, the old row named in ``legacy_ref``."""


def move_notices(apps, app_label: str, about_model: str | None = None, about_field: str | None = None):
    EmailNotice = apps.get_model(app_label, "EmailNotice")
    OutboxMail = apps.get_model("portal", "OutboxMail")
    ContentType = apps.get_model("contenttypes", "ContentType")
    about_type = None
    if about_model:
        about_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=about_model)
    taken = set(OutboxMail.objects.values_list("key", flat=True))
    rows = []
    for notice in EmailNotice.objects.order_by("pk").iterator():
        key = notice.key
        if key in taken:  # the two tables never shared a key format, but keep both if they did
            key = f"{app_label}:{key}"[:120]
        taken.add(key)
        about_id = str(getattr(notice, about_field)) if about_field else ""
        rows.append(
            OutboxMail(
                key=key,
                to=notice.to,
                subject=notice.subject,
                body=notice.body,
                about_type=about_type if about_id else None,
                about_id=about_id,
                created_at=notice.created_at,
                sent_at=notice.sent_at,
                legacy_ref=f"{app_label}:{notice.pk}",
            )
        )
    OutboxMail.objects.bulk_create(rows, batch_size=1000)


def move_back(apps, app_label: str, about_field: str | None = None):
    """Reverse: the rows that came from this app go back to its table (new mails stay in the outbox)."""
    EmailNotice = apps.get_model(app_label, "EmailNotice")
    OutboxMail = apps.get_model("portal", "OutboxMail")
    prefix = f"{app_label}:"
    for mail in OutboxMail.objects.filter(legacy_ref__startswith=prefix).order_by("pk"):
        fields = dict(key=mail.key.removeprefix(prefix), to=mail.to, subject=mail.subject, body=mail.body)
        fields.update(created_at=mail.created_at, sent_at=mail.sent_at)
        if about_field:
            fields[about_field] = int(mail.about_id)
        EmailNotice.objects.create(pk=int(mail.legacy_ref.removeprefix(prefix)), **fields)
        mail.delete()
