"""The centre handles several filings of a queue at once (issue 39 item 4): each through its own step and audit
event; one that may not be handled is refused with its reason and undoes none of the others."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from filings.constants import State
from filings.models import Filing
from portal import bulk
from portal.models import AuditEvent

from .factories import in_state

pytestmark = pytest.mark.django_db


def _five(**kwargs):
    filings = [in_state(State.SUBMITTED, name=f"申请单位{i}", **kwargs) for i in range(5)]
    # the third was passed by someone else meanwhile: it is no longer 待初审
    Filing.objects.filter(pk=filings[2].pk).update(state=State.UNDER_EVALUATION)
    return filings


def test_one_of_five_refused_the_other_four_pass_each_with_its_audit_row(client, carol):
    filings = _five()
    client.force_login(carol)
    response = client.post(
        reverse("filings:queue_bulk"),
        {"state": "submitted", "action": "start_evaluation", "ids": [f.pk for f in filings]},
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "filings:queue", args=["submitted"]
    )
    states = dict(Filing.objects.values_list("name", "state"))
    assert [states[f"申请单位{i}"] for i in range(5)] == [State.UNDER_EVALUATION] * 5
    started = AuditEvent.objects.filter(event="evaluation_started")
    assert sorted(started.values_list("target_id", flat=True)) == sorted(
        str(f.pk) for i, f in enumerate(filings) if i != 2
    )
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("已处理 4 件" in t for t in texts)
    (refusal,) = [t for t in texts if "未处理" in t]
    assert "申请单位2" in refusal and "专家评估" in refusal  # its state, named


def test_return_for_correction_needs_the_reason_and_assign_takes_a_handler(client, carol):
    filings = _five()
    client.force_login(carol)
    ids = [f.pk for f in filings]
    refused = client.post(
        reverse("filings:queue_bulk"), {"state": "submitted", "action": "return_for_correction", "ids": ids}
    )
    assert any("必须填写需要补正的内容" in str(m) for m in get_messages(refused.wsgi_request))
    assert not Filing.objects.filter(state=State.RETURNED).exists()

    client.post(
        reverse("filings:queue_bulk"),
        {"state": "submitted", "action": "assign", "assignee": carol.pk, "ids": ids},
    )
    assert Filing.objects.filter(assignee=carol).count() == 5  # a handler is assigned in any queue state
    assert AuditEvent.objects.filter(event="filing_assigned").count() == 5


def test_only_the_centre_and_only_what_it_may(client, dave, alice):
    filings = _five()
    for user in (dave, alice):
        client.force_login(user)
        response = client.post(
            reverse("filings:queue_bulk"),
            {"state": "submitted", "action": "start_evaluation", "ids": [filings[0].pk]},
        )
        assert response.status_code == 404
    assert Filing.objects.get(pk=filings[0].pk).state == State.SUBMITTED


def test_at_most_a_hundred_at_once(client, carol):
    client.force_login(carol)
    response = client.post(
        reverse("filings:queue_bulk"),
        {"state": "submitted", "action": "assign", "ids": list(range(1, bulk.BULK_MAX_ITEMS + 2))},
    )
    assert any("一次最多办理 100 件" in str(m) for m in get_messages(response.wsgi_request))


def test_the_queue_offers_the_ticks_to_the_centre_only(client, carol, dave):
    in_state(State.SUBMITTED)
    client.force_login(carol)
    page = client.get(reverse("filings:queue", args=["submitted"])).content.decode()
    assert 'data-testid="bulk-form"' in page and 'name="ids"' in page
    assert "初审通过，进入专家评估" in page
    other_tab = client.get(reverse("filings:queue", args=["evaluated"])).content.decode()
    assert "初审通过，进入专家评估" not in other_tab.split('data-testid="bulk-form"')[1]
    client.force_login(dave)
    page = client.get(reverse("filings:queue", args=["evaluated"])).content.decode()
    assert 'data-testid="bulk-form"' not in page and 'name="ids"' not in page


def test_bulk_apply_keeps_going_after_a_refusal():
    from portal.errors import PortalError

    def call(n):
        if n == 3:
            raise PortalError("不行")
        return n

    outcome = bulk.apply([1, 2, 3, 4, 5], call)
    assert outcome.done == [1, 2, 4, 5] and outcome.refused == [(3, "不行")]
