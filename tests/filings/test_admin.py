"""Every filings model of issue 4 has an admin page with search and filters; filings and the trail are
read-only there (state changes only through the workflow)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from filings import models
from filings.constants import State

from .factories import in_state

pytestmark = pytest.mark.django_db

MODELS = [
    models.Filing,
    models.Attachment,
    models.EvaluationBatch,
    models.ExpertDraw,
    models.ExpertReview,
    models.Objection,
    models.InstitutionCode,
    models.SequenceCounter,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_lists_with_search_and_filters(admin_client, model):
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields and model_admin.list_filter
    url = reverse(f"admin:filings_{model._meta.model_name}_changelist")
    assert admin_client.get(url, {"q": "天津"}).status_code == 200


def test_filing_change_page_is_read_only_with_the_trail(admin_client, carol):
    from filings import workflow

    filing = in_state(State.SUBMITTED)
    workflow.return_for_correction(filing, carol, "请补充材料")
    response = admin_client.get(reverse("admin:filings_filing_change", args=[filing.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "请补充材料" in text  # the audit trail
    assert 'name="state"' not in text and "_save" not in text  # nothing to edit


def test_centre_staff_may_view_filings_in_admin(client, carol):
    in_state(State.SUBMITTED)
    client.force_login(carol)
    assert client.get(reverse("admin:filings_filing_changelist")).status_code == 200
