"""portal.outbox: the one mail queue. Mails leave after commit, once per key; the tasks of the old names
still send what was queued under them; the migration moves both old tables' rows, nothing lost."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from portal import outbox
from portal import tasks as portal_tasks
from portal.models import OutboxMail


@pytest.mark.django_db(transaction=True)
def test_a_mail_leaves_after_commit_once_per_key():
    with transaction.atomic():
        first = outbox.queue("k-1", "a@example.org", "主题", "正文")
        assert first is not None
        assert outbox.queue("k-1", "a@example.org", "主题", "正文") is None  # the same key once
        assert mail.outbox == []  # nothing leaves before the commit
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert OutboxMail.objects.get(key="k-1").sent_at is not None
    assert outbox.already_queued("k-1") and not outbox.already_queued("k-2")


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_decision_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.queue("k-1", "a@example.org", "主题", "正文")
        raise RuntimeError
    assert mail.outbox == [] and not OutboxMail.objects.exists()


@pytest.mark.django_db
def test_a_failed_send_releases_the_claim(settings, monkeypatch):
    row = OutboxMail.objects.create(key="k", to="a@example.org", subject="s", body="b")

    def broken(*args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr(outbox, "send_mail", broken)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        with pytest.raises(ConnectionError):
            outbox.send(row.pk)
        row.refresh_from_db()
        assert row.sent_at is None and row.claimed_at is None  # a retry sends it, after the backoff
        monkeypatch.undo()
        assert portal_tasks.send_mail_task(row.pk) is False
        traveller.shift(timedelta(seconds=outbox.retry_delay(1)))
        assert portal_tasks.send_mail_task(row.pk) is True
        assert portal_tasks.send_mail_task(row.pk) is False


@pytest.mark.django_db
def test_mails_about_an_object(alice):
    institution = alice.institution
    outbox.queue("about-1", "a@example.org", "s", "b", about=institution)
    outbox.queue("about-2", "a@example.org", "s", "b")
    assert list(outbox.about(institution).values_list("key", flat=True)) == ["about-1"]


@pytest.mark.django_db
def test_tasks_of_the_old_names_send_what_was_queued_under_them():
    from certification import tasks as certification_tasks
    from filings import tasks as filings_tasks

    OutboxMail.objects.create(key="f", to="f@example.org", subject="s", body="b", legacy_ref="filings:17")
    OutboxMail.objects.create(
        key="c", to="c@example.org", subject="s", body="b", legacy_ref="certification:17"
    )
    assert filings_tasks.send_email_notice.name == "filings.send_email_notice"
    assert certification_tasks.send_email_notice.name == "certification.send_email_notice"
    assert filings_tasks.send_email_notice(17) is True
    assert [m.to for m in mail.outbox] == [["f@example.org"]]
    assert certification_tasks.send_email_notice(17) is True
    assert filings_tasks.send_email_notice(17) is False  # sent once
    assert certification_tasks.send_email_notice(99) is False  # no such row


BEFORE = [
    ("portal", "0003_outbox"),
    ("filings", "0006_directory_order_index"),
    ("certification", "0006_review_materials_per_attempt"),
]
AFTER = [
    ("portal", "0003_outbox"),
    ("filings", "0007_mail_moves_to_outbox"),
    ("certification", "0007_mail_moves_to_outbox"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_both_tables_and_back():
    from django.core.management import call_command

    from tests.certification.factories import PlanFactory

    # The plan is made with today's models, before migrating back: the factory also writes tables that
    # have changed since (portal_occupation gained columns in portal 0008), which the old schema lacks.
    plan = PlanFactory()
    old = _migrate(BEFORE)
    FilingsNotice = old.get_model("filings", "EmailNotice")
    PlanNotice = old.get_model("certification", "EmailNotice")
    sent = "2026-06-02T08:00:00+08:00"
    f1 = FilingsNotice.objects.create(
        key="audit-1-a@example.org", to="a@example.org", subject="备案", body="一"
    )
    f2 = FilingsNotice.objects.create(
        key="same-key", to="b@example.org", subject="备案", body="二", sent_at=sent
    )
    c1 = PlanNotice.objects.create(
        key="same-key", plan_id=plan.pk, to="c@example.org", subject="方案", body="三"
    )

    # The outbox of then (portal 0003): today's has the delivery columns of portal 0007 besides.
    MovedMail = _migrate(AFTER).get_model("portal", "OutboxMail")
    rows = {m.legacy_ref: m for m in MovedMail.objects.all()}
    assert set(rows) == {f"filings:{f1.pk}", f"filings:{f2.pk}", f"certification:{c1.pk}"}
    assert rows[f"filings:{f1.pk}"].key == "audit-1-a@example.org"
    assert rows[f"filings:{f1.pk}"].body == "一" and rows[f"filings:{f1.pk}"].sent_at is None
    assert rows[f"filings:{f2.pk}"].sent_at is not None
    moved = rows[f"certification:{c1.pk}"]
    # A key in both tables is kept twice: the second table moved names its app in front.
    assert sorted([rows[f"filings:{f2.pk}"].key, moved.key]) in (
        ["certification:same-key", "same-key"],
        ["filings:same-key", "same-key"],
    )
    assert (moved.to, moved.subject, moved.body, moved.about_id) == (
        "c@example.org",
        "方案",
        "三",
        str(plan.pk),
    )
    assert moved.about_type.model == "assessmentplan"

    back = _migrate(BEFORE)
    assert set(back.get_model("filings", "EmailNotice").objects.values_list("key", flat=True)) == {
        "audit-1-a@example.org",
        "same-key",
    }
    assert back.get_model("certification", "EmailNotice").objects.get().key == "same-key"
    assert not back.get_model("portal", "OutboxMail").objects.exists()
    call_command("migrate", verbosity=0)  # leave the schema as the other tests expect it
