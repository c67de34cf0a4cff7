"""The S route's checklist by the kind of institution (issue 38 item 2): the 培训评价人员花名册 from those
whose training-evaluation scale is a condition (《市人社局关于征集社会培训评价组织的通告》五(七), 二(六)2-3) and a
technical school's proof of normal enrolment (二(六)1 技工院校应正常招生)."""

import pytest

from filings import workflow
from filings.constants import Route, checklist
from filings.models import Attachment

from .factories import FilingFactory

pytestmark = pytest.mark.django_db


def codes(route, kind):
    return {code for code, _label, required in checklist(route, kind) if required}


@pytest.mark.parametrize(
    ("kind", "roster", "enrolment"),
    [
        ("enterprise", True, False),
        ("other", True, False),
        ("public_training_base", True, False),
        ("industry_association", False, False),
        ("technician_college", False, True),
        ("technical_school", False, True),
    ],
)
def test_the_s_checklist_follows_the_kind(kind, roster, enrolment):
    assert ("s9_roster" in codes(Route.SOCIAL, kind)) is roster
    assert ("s10_enrolment" in codes(Route.SOCIAL, kind)) is enrolment
    assert not {"s9_roster", "s10_enrolment"} & codes(Route.EMPLOYER, kind)


def test_a_school_without_its_enrolment_proof_cannot_submit(alice):
    filing = FilingFactory(
        institution=alice.institution, route=Route.SOCIAL, kind="technician_college", rows=True, files=True
    )
    assert not workflow.missing_sections(filing)  # the factory uploads every required item
    Attachment.objects.filter(filing=filing, item="s10_enrolment").delete()
    missing = "；".join(workflow.missing_sections(filing))
    assert "正常招生" in missing


def test_a_filed_groups_branch_hands_in_the_groups_receipt_and_its_rules_only():
    """《市人社局关于进一步规范职业技能等级认定工作的通知》附件3: 驻津分支机构只须提交集团（总公司）所获备案回执和自主认定
    工作实施办法."""
    assert codes(Route.EMPLOYER, "enterprise") == {"y1_form", "y2_licence", "y3_rules"}
    branch = {code for code, _label, required in checklist(Route.EMPLOYER, "enterprise", True) if required}
    assert branch == {"y4_group_receipt", "y3_rules"}
    # the S route knows no such shortcut
    assert checklist(Route.SOCIAL, "enterprise", True) == checklist(Route.SOCIAL, "enterprise")


def test_a_branch_submits_with_the_receipt_instead_of_the_form_and_licence(alice):
    filing = FilingFactory(
        institution=alice.institution, route=Route.EMPLOYER, group_branch=True, rows=True, files=True
    )
    assert set(Attachment.objects.filter(filing=filing).values_list("item", flat=True)) == {
        "y4_group_receipt",
        "y3_rules",
    }
    assert not workflow.missing_sections(filing)
    Attachment.objects.filter(filing=filing, item="y4_group_receipt").delete()
    assert "集团（总公司）所获备案回执" in "；".join(workflow.missing_sections(filing))
