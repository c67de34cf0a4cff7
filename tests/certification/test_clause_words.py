"""Issue 29 item 8: the roster says which clause a candidate meets with its words ("符合 一(一) 已年满
16 周岁…"), from the decision kept with the row when the roster was read."""

import pytest
from django.urls import reverse

from certification.models import Candidate
from portal import roles
from tests.portal.factories import UserFactory

from .factories import CandidateFactory

pytestmark = pytest.mark.django_db

MET = "一(一) 满足：已年满 16 周岁（36 周岁）；拟从事本职业或相关职业工作。"
NOT_MET = "一(二) 不满足：已年满 16 周岁（36 周岁）；未从事本职业或相关职业工作。"


def test_the_words_of_the_clause_met():
    c = Candidate(eligible=True, clause="一(一)", reasons=[MET, NOT_MET])
    assert c.clause_text == "已年满 16 周岁（36 周岁）；拟从事本职业或相关职业工作。"


@pytest.mark.parametrize(
    "clause, reasons",
    [("", [NOT_MET]), ("一(一)", []), ("一(一)", [NOT_MET]), ("二(一)", [MET])],
)
def test_no_words_without_a_kept_decision_for_that_clause(clause, reasons):
    assert Candidate(clause=clause, reasons=reasons).clause_text == ""


def test_the_roster_shows_the_clause_with_its_words(client):
    candidate = CandidateFactory(eligible=True, clause="一(一)", reasons=[MET, NOT_MET], level=5)
    user = UserFactory(institution=candidate.plan.institution, role=roles.APPLICANT)
    client.force_login(user)
    body = client.get(reverse("certification:plan", args=[candidate.plan.pk])).content.decode()
    assert "拟从事本职业或相关职业工作" in body
