"""portal.outbox delivers at least once (issue 31 part 1): sent_at only after SMTP accepted the mail; a
worker killed between its claim and SMTP leaves the mail to the sweep, which sends it once; a failed send
is retried with backoff, then given up and shown to staff, who send it again; a mail whose queue message
was lost is swept; two sweeps at once send each mail once."""

import collections
import os
import signal
import socketserver
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal import jobs, outbox
from portal import tasks as portal_tasks
from portal.models import AuditEvent, OutboxMail

SINK_WAIT_SECONDS = 60  # how long the tests wait for a worker to reach the sink


class SmtpSink:
    """A minimal SMTP server in a thread that records the messages it accepted. While ``held`` it keeps
    a new connection waiting before its greeting, so a sender stops between its claim and SMTP."""

    def __init__(self):
        self.messages: list[bytes] = []
        self.connected = threading.Event()
        self.open = threading.Event()
        self.open.set()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                sink.connected.set()
                if not sink.open.wait(timeout=SINK_WAIT_SECONDS):
                    return
                try:
                    self.session()
                except OSError:
                    pass  # the sender went away

            def reply(self, line: str):
                self.wfile.write(f"{line}\r\n".encode())
                self.wfile.flush()

            def session(self):
                self.reply("220 sink")
                while line := self.rfile.readline():
                    command = line[:4].upper()
                    if command in (b"EHLO", b"HELO"):
                        self.reply("250 sink")
                    elif command == b"DATA":
                        self.reply("354 go on")
                        lines = []
                        while (data := self.rfile.readline()) not in (b".\r\n", b""):
                            lines.append(data)
                        sink.messages.append(b"".join(lines))
                        self.reply("250 accepted")
                    elif command == b"QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("250 ok")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.open.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def smtp_sink(settings, monkeypatch):
    """The sink, for this process (settings) and for a worker started after it (EMAIL_URL)."""
    sink = SmtpSink()
    monkeypatch.setenv("EMAIL_URL", f"smtp://127.0.0.1:{sink.port}")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield sink
    sink.close()


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def kill_worker(worker):
    """SIGKILL to the worker and its pool process (as the OOM killer or a container stop would)."""
    pool = children_of(worker.proc.pid)
    worker.kill()
    for pid in pool:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def after_claims_time_out():
    return time_machine.travel(timezone.now() + outbox.CLAIM_TIMEOUT + timedelta(minutes=1))


@pytest.mark.celery_worker
def test_a_worker_killed_between_claim_and_smtp_loses_no_mail(smtp_sink, celery_worker):
    smtp_sink.open.clear()  # the worker's SMTP connection waits before the greeting
    with transaction.atomic():
        queued = outbox.queue("kill-1", "a@example.org", "主题", "正文")
    assert smtp_sink.connected.wait(timeout=SINK_WAIT_SECONDS), "the worker never reached SMTP"
    queued.refresh_from_db()
    assert queued.claimed_at is not None and queued.attempts == 1
    assert queued.sent_at is None  # claimed, not sent
    kill_worker(celery_worker)
    smtp_sink.open.set()
    assert smtp_sink.messages == []

    celery_worker.restart()
    # The claim is the dead worker's and still young: another sender leaves it alone (a redelivered task
    # comes back when it times out: test_a_redelivered_task_comes_back_when_the_dead_claim_times_out).
    assert outbox.send(queued.pk) is False
    assert outbox.sweep() == 0
    with after_claims_time_out():
        assert outbox.sweep() == 1  # taken over from the dead worker
        assert outbox.sweep() == 0
    assert portal_tasks.send_mail_task.delay(queued.pk).get(timeout=SINK_WAIT_SECONDS) is False
    assert len(smtp_sink.messages) == 1
    queued.refresh_from_db()
    assert queued.sent_at is not None and queued.attempts == 2


@pytest.mark.celery_worker
def test_a_worker_delivers_and_writes_sent_at_after_smtp(smtp_sink, celery_worker):
    with transaction.atomic():
        queued = outbox.queue("real-1", "a@example.org", "主题", "正文")
    result = portal_tasks.send_mail_task.delay(queued.pk).get(timeout=SINK_WAIT_SECONDS)
    assert result is False  # the after-commit task sent it first
    assert portal_tasks.sweep_outbox_task.delay().get(timeout=SINK_WAIT_SECONDS) == 0  # nothing lost
    queued.refresh_from_db()
    assert queued.sent_at is not None and queued.sent_at >= queued.claimed_at
    assert len(smtp_sink.messages) == 1


class FlakyBackend(BaseEmailBackend):
    """Refuses the next FAILURES sends, then delivers into django.core.mail.outbox."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise ConnectionRefusedError("relay down")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    yield FlakyBackend
    FlakyBackend.failures = 0


@pytest.mark.django_db(transaction=True)
def test_a_failed_send_is_retried_after_its_backoff_and_delivered(flaky):
    flaky.failures = 1
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        with transaction.atomic():
            queued = outbox.queue("retry-1", "a@example.org", "主题", "正文")  # its task fails once
        queued.refresh_from_db()
        assert mail.outbox == [] and queued.sent_at is None and queued.claimed_at is None
        assert queued.attempts == 1 and "relay down" in queued.last_error
        assert queued.next_try_at == timezone.now() + timedelta(seconds=outbox.RETRY_BASE_SECONDS)
        assert outbox.seconds_until_due(queued.pk) == outbox.RETRY_BASE_SECONDS
        assert outbox.send(queued.pk) is False  # not before the backoff is over
        assert outbox.sweep() == 0
        traveller.shift(timedelta(seconds=outbox.RETRY_BASE_SECONDS))
        assert portal_tasks.send_mail_task(queued.pk) is True  # the retry
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    queued.refresh_from_db()
    assert queued.sent_at is not None and queued.attempts == 2 and queued.last_error == ""
    assert outbox.sweep() == 0 and portal_tasks.send_mail_task(queued.pk) is False


def test_the_backoff_doubles_up_to_its_limit():
    delays = [outbox.retry_delay(n) for n in range(1, outbox.MAX_ATTEMPTS)]
    assert delays == [outbox.RETRY_BASE_SECONDS * 2**n for n in range(outbox.MAX_ATTEMPTS - 1)]
    assert outbox.retry_delay(30) == outbox.RETRY_MAX_SECONDS


def test_the_send_task_asks_celery_to_retry_after_the_backoff(monkeypatch):
    calls = {}

    def failing(mail_id):
        raise ConnectionRefusedError("relay down")

    def retry(**kwargs):
        calls.update(kwargs)
        return RuntimeError("retry")

    monkeypatch.setattr(outbox, "send", failing)
    monkeypatch.setattr(outbox, "seconds_until_due", lambda mail_id: 61)
    monkeypatch.setattr(portal_tasks.send_mail_task, "retry", retry)
    portal_tasks.send_mail_task.push_request(called_directly=False, is_eager=False)  # as in a worker
    try:
        with pytest.raises(RuntimeError):
            portal_tasks.send_mail_task.run(7)
    finally:
        portal_tasks.send_mail_task.pop_request()
    assert calls["countdown"] == 61 and isinstance(calls["exc"], ConnectionRefusedError)


@pytest.mark.django_db
def test_a_redelivered_task_comes_back_when_the_dead_claim_times_out(monkeypatch, flaky):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        queued = OutboxMail.objects.create(key="redelivered", to="a@example.org", subject="s", body="b")
        assert outbox.claim(queued.pk) is not None  # a worker claimed it, and died
        calls = {}

        def retry(**kwargs):
            calls.update(kwargs)
            return RuntimeError("retry")

        monkeypatch.setattr(portal_tasks.send_mail_task, "retry", retry)
        portal_tasks.send_mail_task.push_request(called_directly=False, is_eager=False)  # as in a worker
        try:
            with pytest.raises(RuntimeError):
                portal_tasks.send_mail_task.run(queued.pk)  # the late-ack redelivery
        finally:
            portal_tasks.send_mail_task.pop_request()
        assert calls == {"exc": None, "countdown": outbox.CLAIM_TIMEOUT.total_seconds(), "max_retries": None}
        traveller.shift(outbox.CLAIM_TIMEOUT + timedelta(seconds=1))
        assert portal_tasks.send_mail_task(queued.pk) is True  # the retry takes the dead claim over
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert outbox.seconds_until_due(queued.pk) is None


@pytest.mark.django_db  # the role groups keep their rights from the migrations
def test_a_mail_failing_every_attempt_is_given_up_and_staff_resend_it(
    flaky, carol, dave, django_capture_on_commit_callbacks
):
    flaky.failures = outbox.MAX_ATTEMPTS
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        queued = OutboxMail.objects.create(key="fail-1", to="a@example.org", subject="主题", body="正文")
        traveller.shift(outbox.SWEEP_GRACE + timedelta(seconds=1))
        assert outbox.sweep() == 0  # its task was lost: the sweep's first attempt fails
        for attempt in range(2, outbox.MAX_ATTEMPTS + 1):
            traveller.shift(timedelta(seconds=outbox.retry_delay(attempt - 1)))
            assert outbox.sweep() == 0
            queued.refresh_from_db()
            assert queued.attempts == attempt
        assert queued.failed_at is not None
        traveller.shift(timedelta(hours=2))
        assert outbox.sweep() == 0 and outbox.send(queued.pk) is False  # given up
    assert list(outbox.failed()) == [queued] and mail.outbox == []

    changelist = reverse("admin:portal_outboxmail_changelist")
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(carol)
    page = staff.get(changelist, {"state": "failed"})
    assert page.status_code == 200
    assert list(page.context["cl"].queryset) == [queued]
    assert "重新发送" in page.content.decode()
    post = {"action": "resend", "_selected_action": [queued.pk]}
    assert staff.post(changelist, post).status_code == 403  # no CSRF token
    token = staff.cookies["csrftoken"].value
    # The bureau reads the mails in the admin but has not the right to resend them.
    dave.is_staff = True
    dave.save()
    outsider = Client()
    outsider.force_login(dave)
    assert outsider.get(changelist, {"state": "failed"}).status_code == 200
    assert "重新发送" not in outsider.get(changelist).content.decode()
    outsider.post(changelist, post)
    queued.refresh_from_db()
    assert queued.failed_at is not None and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True) as queued_tasks:
        response = staff.post(changelist, {**post, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and len(queued_tasks) == 1
    assert [m.to for m in mail.outbox] == [["a@example.org"]]  # sent after the action's commit
    queued.refresh_from_db()
    assert queued.sent_at is not None and queued.failed_at is None and queued.attempts == 1
    event = AuditEvent.objects.get(event="mail_resent")
    assert event.actor == carol and event.target_id == str(queued.pk) and event.internal
    assert outbox.resend(queued, carol) is False  # sent: nothing to resend


@pytest.mark.django_db(transaction=True)
def test_a_mail_whose_queue_message_was_lost_is_swept_and_sent(monkeypatch):
    lost = []
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: lost.append((name, args)))  # Redis lost it
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        with transaction.atomic():
            queued = outbox.queue("lost-1", "a@example.org", "主题", "正文")
        assert lost == [(outbox.SEND_TASK, (queued.pk,))] and mail.outbox == []
        assert outbox.sweep() == 0  # young: left to its own task a while
        traveller.shift(outbox.SWEEP_GRACE + timedelta(seconds=1))
        assert portal_tasks.sweep_outbox_task() == 1
        assert outbox.sweep() == 0
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


class SlowCountingBackend(BaseEmailBackend):
    """Takes a moment per mail (so two sweeps overlap) and counts what it sent, by recipient."""

    sent = collections.Counter()
    lock = threading.Lock()

    def send_messages(self, messages):
        threading.Event().wait(0.02)
        with self.lock:
            for message in messages:
                self.sent[message.to[0]] += 1
        return len(messages)


SWEPT_MAILS = 30  # mails two sweeps share in the race below


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_mail_once(settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowCountingBackend"
    SlowCountingBackend.sent.clear()
    written = timezone.now() - outbox.SWEEP_GRACE - timedelta(minutes=1)
    OutboxMail.objects.bulk_create(
        OutboxMail(key=f"race-{n}", to=f"r{n}@example.org", subject="s", body="b", created_at=written)
        for n in range(SWEPT_MAILS)
    )
    start = threading.Barrier(2)
    counts = []

    def sweeper():
        try:
            start.wait(timeout=30)
            counts.append(outbox.sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(counts) == SWEPT_MAILS and len(counts) == 2
    assert len(SlowCountingBackend.sent) == SWEPT_MAILS and set(SlowCountingBackend.sent.values()) == {1}
    assert not OutboxMail.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_sweep_stops_when_the_relay_is_down_and_a_dead_claim_at_the_limit_is_given_up(flaky):
    written = timezone.now() - outbox.SWEEP_GRACE - timedelta(minutes=1)
    for n in range(outbox.SWEEP_FAILURES_IN_A_ROW + 2):
        OutboxMail.objects.create(
            key=f"down-{n}", to=f"d{n}@example.org", subject="s", body="b", created_at=written
        )
    flaky.failures = 100
    assert outbox.sweep() == 0
    tried = OutboxMail.objects.filter(attempts=1)
    assert tried.count() == outbox.SWEEP_FAILURES_IN_A_ROW  # the rest keep their attempts
    assert not OutboxMail.objects.filter(attempts__gt=1).exists()

    dead = OutboxMail.objects.create(
        key="dead",
        to="x@example.org",
        subject="s",
        body="b",
        attempts=outbox.MAX_ATTEMPTS,
        claimed_at=timezone.now() - outbox.CLAIM_TIMEOUT - timedelta(seconds=1),
    )
    flaky.failures = 0
    outbox.sweep()
    dead.refresh_from_db()
    assert dead.failed_at is not None and dead.sent_at is None and dead.last_error == outbox.LOST_CLAIM_ERROR
    assert "x@example.org" not in [m.to[0] for m in mail.outbox]


@pytest.mark.django_db
def test_the_button_of_a_failed_mail_resends_it(carol, dave, django_capture_on_commit_callbacks):
    gave_up = timezone.now() - timedelta(hours=1)
    failed = OutboxMail.objects.create(
        key="failed-row",
        to="f@example.org",
        subject="s",
        body="b",
        attempts=outbox.MAX_ATTEMPTS,
        failed_at=gave_up,
    )
    sent = OutboxMail.objects.create(
        key="sent-row", to="s@example.org", subject="s", body="b", sent_at=gave_up
    )
    button = reverse("admin:portal_outboxmail_resend", args=[failed.pk])
    changelist = reverse("admin:portal_outboxmail_changelist")

    staff = Client(enforce_csrf_checks=True)
    staff.force_login(carol)
    page = staff.get(changelist)
    assert f'formaction="{button}"' in page.content.decode()  # the failed mail has its button
    assert reverse("admin:portal_outboxmail_resend", args=[sent.pk]) not in page.content.decode()
    token = staff.cookies["csrftoken"].value
    assert staff.get(button).status_code == 405
    assert staff.post(button).status_code == 403  # no CSRF token

    dave.is_staff = True
    dave.save()
    bureau = Client()
    bureau.force_login(dave)
    assert "formaction" not in bureau.get(changelist).content.decode()
    assert bureau.post(button).status_code == 403  # no right to resend
    assert not AuditEvent.objects.filter(event="mail_resent").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(button, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"].endswith("?state=failed")
    assert [m.to for m in mail.outbox] == [["f@example.org"]]
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.failed_at is None
    assert AuditEvent.objects.get(event="mail_resent").actor == carol
    again = staff.post(button, {"csrfmiddlewaretoken": token}, follow=True)
    assert "未重新发送" in again.content.decode() and len(mail.outbox) == 1


def test_the_beat_runs_the_sweep_every_few_minutes(settings):
    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["portal-sweep-outbox"]
    assert entry["task"] == outbox.SWEEP_TASK and outbox.SWEEP_TASK in app.tasks
    assert 60 <= entry["schedule"] <= 600
    # A claim is taken over only once no live sender can hold it any more.
    longest_sender = max(outbox.SEND_TIME_LIMIT, outbox.SWEEP_TIME_LIMIT)
    assert outbox.CLAIM_TIMEOUT > timedelta(seconds=longest_sender)
