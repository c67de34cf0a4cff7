"""Work that must hold across hosts (issue 41): a file uploaded on one web host is served by the other; the
beat has each periodic task run once; a certificate batch goes on on the second worker host when the
first is killed mid-batch. On the cluster of deploy/netns (each host its own MEDIA_ROOT, files in
PostgreSQL, two worker hosts on one Redis broker)."""

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .browser import Browser

pytestmark = pytest.mark.cluster

SEAL_PAGE = "/filings/seal/"


def seal_png(rows):
    from filings.demo import seal_image

    return seal_image(text_rows=rows)  # a round red seal on a transparent background, as filings.seals wants


def upload_seal(browser, base, image):
    """The institution's seal change request (the simplest upload the portal has: one file and a reason),
    through its page; returns the new seal's image address."""
    status, body, url = browser.post_files(
        base + SEAL_PAGE,
        {"reason": f"集群测试 {time.time():.0f}"},
        {"image": ("seal.png", image, "image/png")},
    )
    assert status == 200 and url.endswith(SEAL_PAGE), (status, url)
    assert "印章变更申请已提交" in body, re.findall(r'class="alert[^"]*"[^>]*>([^<]+)', body)
    return max(re.findall(r"/filings/seals/(\d+)/image\.png", body), key=int)


def test_a_file_uploaded_on_one_host_is_served_by_the_other(cluster):
    """Each web host has its own MEDIA_ROOT and FILE_STORAGE=database: the seal image uploaded on web1 is
    downloaded on web2, byte for byte, and no host wrote it to its own disk."""
    a, b = cluster.url("web1"), cluster.url("web2")
    browser = Browser()
    browser.login(a, "applicant")
    image = seal_png(rows=4)
    pk = upload_seal(browser, a, image)
    status, served, _ = browser.get(b + f"/filings/seals/{pk}/image.png", raw=True)
    assert status == 200 and served == image, (status, len(served), len(image))
    for host in ("web1", "web2"):
        written = [path for path in (cluster.dir / f"media-{host}").rglob("*") if path.is_file()]
        assert not written, (host, written)


def test_without_shared_storage_the_other_host_cannot_serve_it(cluster):
    """The same upload with FILE_STORAGE=local and each host's own MEDIA_ROOT (a gunicorn more on each web
    host): web2 does not have the file web1 wrote. What the test above would meet without the database
    storage, so it can fail."""
    names = [cluster.start_web(host, 8001, FILE_STORAGE="local") for host in ("web1", "web2")]
    try:
        a, b = cluster.url("web1", 8001), cluster.url("web2", 8001)
        browser = Browser()
        browser.login(a, "demo-inst2")
        image = seal_png(rows=5)
        pk = upload_seal(browser, a, image)
        status, served, _ = browser.get(a + f"/filings/seals/{pk}/image.png", raw=True)
        assert status == 200 and served == image, status  # web1 has it on its disk
        status, served, _ = browser.get(b + f"/filings/seals/{pk}/image.png", raw=True)
        assert status != 200 and served != image, status
        print(f"\n  FILE_STORAGE=local: web1 serves the seal, web2 answers {status}")
    finally:
        for name in names:
            cluster.stop(name)


# --- the beat ---------------------------------------------------------------------------------------------


def log_tail(path: Path, offset: int) -> str:
    with open(path, "rb") as log:
        log.seek(offset)
        return log.read().decode(errors="replace")


def test_the_beat_has_each_periodic_run_happen_once(cluster):
    """Over a window the beat sends its 1-second entry (deploy/netns/beat_app.py: portal.ping) about once a
    second, not more; each run is executed once on one of the two worker hosts (no task id twice, over the
    whole run). A second beat (PORTAL_CLUSTER_BEATS=2) sends every tick twice: the count fails."""
    from deploy.netns.beat_app import BEAT_TICK_SECONDS, TICK_ENTRY

    window = 8.0
    beats = sorted(cluster.dir.glob("beat*.log"))
    workers = [cluster.dir / f"{host}.log" for host in ("worker", "worker2")]
    start = {path: path.stat().st_size for path in beats + workers}
    time.sleep(window)
    sent = sum(log_tail(path, start[path]).count(f"Sending due task {TICK_ENTRY} ") for path in beats)
    ran = [
        run
        for path in workers
        for run in re.findall(r"Task portal\.ping\[([0-9a-f-]+)\] succeeded", log_tail(path, start[path]))
    ]
    every = [
        run
        for path in workers
        for run in re.findall(r"Task portal\.ping\[([0-9a-f-]+)\] succeeded", path.read_text())
    ]
    print(f"\n  {window:.0f} s: the beat sent {sent} ticks, the workers ran {len(ran)} ({len(every)} in all)")
    expected = window / BEAT_TICK_SECONDS
    assert 0.6 * expected <= sent <= expected + 1, sent
    assert abs(len(ran) - sent) <= 2, (len(ran), sent)
    assert len(every) == len(set(every)), "a run executed twice"


# --- a batch when its worker host dies ----------------------------------------------------------------------

BATCH_SIZE = 100

CREATE_BATCH = """
from stdnum.cn import ric
from certificates.demo import _photo, issuer
from certificates.issuance import IssuableCandidate, create_batch
from portal.models import Occupation, User

user = User.objects.select_related("institution").get(username="applicant")
prefix, name, scope = issuer(user.institution)
code, level = sorted(scope)[0]
occupation = Occupation.objects.get(code=code)
photo = _photo(1)
candidates = []
for n in range({size}):
    body = "110101199001{day:02d}" + f"{{n:03d}}"
    candidates.append(IssuableCandidate(
        source_key="{tag}:" + str(n), name="张伟", sex="男" if n % 2 else "女",
        id_number=body + ric.calc_check_digit(body + "0"), occupation=occupation, level=level,
        photo=photo, verified_passing=True,
    ))
batch = create_batch(user.institution, prefix, name, candidates, None, scope=scope, title="{tag}")
print("batch", batch.pk)
"""


def batch_state(cluster, pk):
    status, issued, existing, refused = cluster.sql(
        f"select status, issued_count, existing_count, refused_count from certificates_issuancebatch where id={pk}"
    ).split("|")
    return status, int(issued), int(existing), int(refused)


def worker_running_the_batch(cluster):
    """The worker host whose database connection works on the batch (pg_stat_activity's client address).

    pg_stat_activity keeps an idle connection's *last* query: the other worker host's connection may still
    show one on these tables from an earlier task, so only queries started in the last two seconds count
    (the worker running the batch starts one every few milliseconds)."""
    workers = {cluster.back[host]: host for host in ("worker", "worker2")}
    rows = cluster.sql(
        "select distinct host(client_addr) from pg_stat_activity where datname = 'portal' and "
        "(query ilike '%certificates_issuanceitem%' or query ilike '%certificates_certificate%') and "
        "query_start > now() - interval '2 seconds'"
    ).split()
    running = {workers[address] for address in rows if address in workers}
    return running.pop() if len(running) == 1 else None


def test_a_batch_goes_on_when_its_worker_host_is_killed(cluster):
    """web1 queues a batch; a few certificates in, the worker host running it is killed (SIGKILL to every
    process: nothing acknowledged); Redis hands the task to the other worker host after the visibility
    timeout, which resumes the batch: every candidate has one certificate, no code twice."""
    from deploy.netns.cluster import ROOT, VISIBILITY_TIMEOUT

    tag = f"cluster.batch{int(time.time())}"
    script = CREATE_BATCH.format(size=BATCH_SIZE, tag=tag, day=int(time.time()) % 28 + 1)
    # The batch is watched while the shell that queued it is still exiting: a worker issues dozens a second.
    shell = subprocess.Popen(
        [*cluster.wrap("web1"), sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=cluster.env("web1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        started = time.monotonic()
        victim, pk, state = None, None, None
        while time.monotonic() - started < 60:
            found = cluster.sql(f"select id from certificates_issuancebatch where title = '{tag}'")
            if found:
                pk = int(found)
                state = batch_state(cluster, pk)
                if state[0] == "running" and state[1] >= 3:
                    victim = worker_running_the_batch(cluster)
                    if victim:
                        break
            elif shell.poll() not in (None, 0):
                raise AssertionError(shell.stdout.read().decode(errors="replace")[-3000:])
            time.sleep(0.05)
        assert victim, state
    finally:
        shell.wait(timeout=60)
    queued = started
    survivor = next(host for host in ("worker", "worker2") if host != victim)
    try:
        cluster.kill_host(victim)
        killed = time.monotonic()
        at_kill = batch_state(cluster, pk)
        print(f"\n  {victim} killed {killed - queued:.1f} s after the shell started, the batch at {at_kill}")
        assert at_kill[0] in ("running", "printing") and at_kill[1] < BATCH_SIZE, at_kill

        state = at_kill
        while state[0] != "finished":
            assert time.monotonic() - killed < VISIBILITY_TIMEOUT + 60, state
            time.sleep(0.5)
            state = batch_state(cluster, pk)
        print(f"  finished on {survivor} {time.monotonic() - killed:.1f} s after the kill: {state}")
    finally:
        cluster.start_worker_host(victim)  # for the tests after this one

    status, issued, existing, refused = state
    assert refused == 0 and issued + existing == BATCH_SIZE, state
    certificates, codes, keys = map(
        int,
        cluster.sql(
            "select count(*), count(distinct code), count(distinct source_key) from certificates_certificate "
            f"where source_key like '{tag}:%'"
        ).split("|"),
    )
    assert certificates == codes == keys == BATCH_SIZE, (certificates, codes, keys)
    pending = cluster.sql(
        f"select count(*) from certificates_issuanceitem where batch_id = {pk} and status = 'pending'"
    )
    assert pending == "0", pending
    assert re.search(r"Task certificates\.run_batch\[[^]]+\] succeeded", cluster.log(survivor)), survivor


# --- a mail when its sender's host dies ---------------------------------------------------------------------

QUEUE_MAIL = """
from portal import outbox
mail = outbox.queue("{key}", "someone@example.org", "{subject}", "cluster mail body")
print("mail", mail.pk)
"""


def accepted(cluster, subject):
    try:
        lines = (cluster.dir / "smtp-accepted").read_text().splitlines()
    except FileNotFoundError:
        return []
    return [line.split("\t")[0] for line in lines if line.endswith("\t" + subject)]


def test_a_mail_goes_out_once_when_its_worker_host_is_killed_mid_send(cluster):
    """web1 queues a mail (portal.outbox); the worker host sending it is killed after its claim, while
    the relay has not yet greeted it; the other worker host gets the task from Redis, waits for the dead
    claim to time out (OUTBOX_CLAIM_TIMEOUT on the cluster), and sends it: the relay accepts it once."""
    from deploy.netns.cluster import OUTBOX_CLAIM_TIMEOUT, VISIBILITY_TIMEOUT

    tag = f"cluster-mail-{int(time.time())}"
    connections = cluster.dir / "smtp-connections"
    seen = len(connections.read_text().split()) if connections.exists() else 0
    hold = cluster.dir / "smtp-hold"
    hold.write_text("60")
    try:
        output = cluster.manage("web1", "shell", "-c", QUEUE_MAIL.format(key=tag, subject=tag)).stdout
        pk = int(re.search(r"mail (\d+)", output).group(1))
        queued = time.monotonic()
        while not (connections.exists() and len(connections.read_text().split()) > seen):
            assert time.monotonic() - queued < 20, "no worker connected to the relay"
            time.sleep(0.1)
        victim = cluster.host_of(connections.read_text().split()[seen])
        claimed = cluster.sql(f"select attempts, sent_at is null from portal_outboxmail where id = {pk}")
        assert claimed == "1|t", claimed  # claimed, not sent
        cluster.kill_host(victim)
    finally:
        hold.write_text("0")
    killed = time.monotonic()
    survivor = next(host for host in ("worker", "worker2") if host != victim)
    try:
        while not accepted(cluster, tag):
            assert time.monotonic() - killed < VISIBILITY_TIMEOUT + OUTBOX_CLAIM_TIMEOUT + 30, "never sent"
            time.sleep(0.5)
        print(f"\n  {victim} killed mid-send; {survivor} sent it {time.monotonic() - killed:.1f} s later")
        time.sleep(3)  # nothing more comes
    finally:
        cluster.start_worker_host(victim)
    assert accepted(cluster, tag) == [cluster.back[survivor]], accepted(cluster, tag)
    row = cluster.sql(f"select attempts, sent_at is not null from portal_outboxmail where id = {pk}")
    assert row == "2|t", row
