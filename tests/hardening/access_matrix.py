"""Who may use which URL: the one readable table of the authorization matrix test.

Every named URL pattern of the project (outside the Django admin, which has its own permission
system) must have a row here; the test fails for a view that is missing and for a row whose view is
gone. Each row gives the URL arguments (taken from the test world: objects of institution A unless
the row says otherwise), the method, and the status each person gets:

    anon   an anonymous visitor          alice  applicant of institution A (owner of the world's objects)
    bob    applicant of institution B    carol  centre staff       dave  bureau
    erin   expert                        admin  superuser

Statuses: 200 ok, 302 redirect (to login for anon unless noted), 403 forbidden, 404 hidden,
405 method not allowed. A row may set ``post=True`` for views that change state (they must refuse
GET with 405 and refuse a POST without CSRF token with 403).
"""

from dataclasses import dataclass, field

PEOPLE = ("anon", "alice", "bob", "carol", "dave", "erin", "admin")


@dataclass(frozen=True)
class Row:
    expect: str  # "anon=302 alice=200 ..." for every person
    kwargs: dict = field(default_factory=dict)  # name -> attribute path in the world, e.g. "filing_a.pk"
    post: bool = False  # state-changing: GET must give 405, POST without CSRF 403
    query: str = ""

    def expected(self) -> dict[str, int]:
        pairs = dict(part.split("=") for part in self.expect.split())
        missing = set(PEOPLE) - set(pairs)
        if missing:
            raise ValueError(f"row lacks {sorted(missing)}")
        return {who: int(code) for who, code in pairs.items()}


PUBLIC = "anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"
LOGGED_IN = "anon=302 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"
ANON_ONLY_FORM = "anon=200 alice=302 bob=302 carol=302 dave=302 erin=302 admin=302"

MATRIX: dict[str, Row] = {
    # portal
    "home": Row(PUBLIC),
    "healthz": Row(PUBLIC),
    "register": Row(ANON_ONLY_FORM),
    "dashboard": Row("anon=302 alice=200 bob=200 carol=200 dave=200 erin=200 admin=302"),  # admin -> /admin/
    "notifications": Row(LOGGED_IN),
    "notifications_read": Row("anon=302 alice=302 bob=302 carol=302 dave=302 erin=302 admin=302", post=True),
    # the working-day calendar: centre and bureau read it; the bureau may not change it (403, told whom
    # to ask); a superuser has every permission
    "calendar": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=200"),
    "calendar_import": Row(
        "anon=302 alice=404 bob=404 carol=200 dave=403 erin=404 admin=200", kwargs={"year": "=2027"}
    ),
    "calendar_complete": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=403 erin=404 admin=302",
        kwargs={"year": "=2027"},
        post=True,
    ),
    "login": Row(ANON_ONLY_FORM),
    "logout": Row("anon=302 alice=302 bob=302 carol=302 dave=302 erin=302 admin=302", post=True),
    "password_change": Row(LOGGED_IN),
    "password_change_done": Row(LOGGED_IN),
    "password_reset": Row(PUBLIC),
    "password_reset_done": Row(PUBLIC),
    "password_reset_confirm": Row(PUBLIC, kwargs={"uidb64": "=MQ", "token": "=set-password"}),
    "password_reset_complete": Row(PUBLIC),
    # Django's own view: a GET only redirects back, a POST sets the language cookie.
    "set_language": Row("anon=302 alice=302 bob=302 carol=302 dave=302 erin=302 admin=302"),
    # filings
    "filings:mine": Row("anon=302 alice=200 bob=200 carol=404 dave=404 erin=404 admin=404"),
    "filings:new": Row("anon=302 alice=302 bob=302 carol=404 dave=404 erin=404 admin=404", post=True),
    "filings:detail": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "filing_a.pk"}
    ),
    "filings:edit": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404", kwargs={"pk": "draft_a.pk"}
    ),
    "filings:act": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "draft_a.pk", "action": "=submit"},
        post=True,
    ),
    "filings:attachment": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404",
        kwargs={"pk": "draft_a.pk", "attachment_pk": "attachment_a.pk"},
    ),
    "filings:delete_attachment": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "draft_a.pk", "attachment_pk": "attachment_a.pk"},
        post=True,
    ),
    "filings:application_pdf": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "filing_a.pk"}
    ),
    "filings:notice_pdf": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=404 admin=404", kwargs={"pk": "filing_a.pk"}
    ),
    "filings:expert_review": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=200 admin=404", kwargs={"pk": "evaluation_a.pk"}
    ),
    "filings:expert_home": Row("anon=302 alice=404 bob=404 carol=404 dave=404 erin=200 admin=404"),
    "filings:queue_home": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:queue": Row(
        "anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"state": "=submitted"}
    ),
    "filings:batches": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:batch": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=404 admin=404", kwargs={"pk": "=999999"}
    ),
    "filings:publicity": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "filings:objection": Row(
        "anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200", kwargs={"pk": "publicity_a.pk"}
    ),
    "filings:resolve_objection": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "objection_a.pk"},
        post=True,
    ),
    "filings:objection_attachment": Row(
        "anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "objection_a.pk"}
    ),
    "filings:directory": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "filings:directory_xlsx": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "filings:directory_detail": Row(
        "anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200", kwargs={"pk": "filing_a.pk"}
    ),
    "filings:complaint_new": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "filings:after_mine": Row("anon=302 alice=200 bob=200 carol=404 dave=404 erin=404 admin=404"),
    "filings:after_filing": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "filing_a.pk"}
    ),
    "filings:request_change": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404", kwargs={"pk": "filing_a.pk"}
    ),
    "filings:request_renewal": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404", kwargs={"pk": "filing_a.pk"}
    ),
    "filings:request_termination": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "filing_a.pk"},
        post=True,
    ),
    "filings:impose_sanction": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "filing_a.pk"},
        post=True,
    ),
    "filings:revoke": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=302 erin=404 admin=404",
        kwargs={"pk": "filing_a.pk"},
        post=True,
    ),
    "filings:complete_rectification": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "sanction_a.pk"},
        post=True,
    ),
    "filings:confirm_termination": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "termination_a.pk"},
        post=True,
    ),
    "filings:after_changes": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:after_institutions": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:change_detail": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "change_a.pk"}
    ),
    "filings:change_review": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=404 admin=404", kwargs={"pk": "change_a.pk"}
    ),
    "filings:expert_changes": Row("anon=302 alice=404 bob=404 carol=404 dave=404 erin=200 admin=404"),
    "filings:change_act": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=302 erin=404 admin=404",
        kwargs={"pk": "change_a.pk", "action": "=approve"},
        post=True,
    ),
    "filings:renewal_queue": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:renewal_detail": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "renewal_a.pk"}
    ),
    "filings:termination_queue": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:sanctions": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:complaint_queue": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:complaint_detail": Row(
        "anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "complaint_a.pk"}
    ),
    "filings:complaint_attachment": Row(
        "anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "complaint_a.pk"}
    ),
    "filings:supervision": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:draw_detail": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=404 admin=404", kwargs={"pk": "=999999"}
    ),
    # certification
    "certification:plans": Row("anon=302 alice=200 bob=200 carol=200 dave=200 erin=404 admin=404"),
    "certification:plan_new": Row("anon=302 alice=200 bob=200 carol=404 dave=404 erin=404 admin=404"),
    "certification:plan": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "plan_a.pk"}
    ),
    "certification:plan_edit": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404", kwargs={"pk": "plan_a.pk"}
    ),
    "certification:roster_upload": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
    ),
    "certification:roster_template": Row("anon=302 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "certification:staff_add": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
    ),
    "certification:staff_remove": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "staff_pk": "=999999"},
        post=True,
    ),
    "certification:plan_submit": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
    ),
    "certification:plan_approve": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
    ),
    "certification:plan_return": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
    ),
    "certification:scores_upload": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
    ),
    "certification:scores_template": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "plan_a.pk"}
    ),
    "certification:plan_report": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
    ),
    "certification:plan_verify": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
    ),
    "certification:plan_uploaded": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
    ),
    # 签发证书: the institution's own users and the centre (plan_a is not verified: back with the reason)
    "certificates:plan_issue": Row(
        "anon=302 alice=302 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
    ),
    "certification:review_sheet": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "plan_a.pk"}
    ),
    "certification:plan_file": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "which": "=roster"},
    ),
    "certification:candidate": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "candidate_pk": "candidate_a.pk"},
    ),
    "certification:candidate_override": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "candidate_pk": "candidate_a.pk"},
        post=True,
    ),
    "certification:review_draw": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "candidate_pk": "candidate_a.pk"},
        post=True,
    ),
    "certification:review_record": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "candidate_pk": "candidate_a.pk", "review_pk": "review_a.pk"},
        post=True,
    ),
    "certification:candidate_photo": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "candidate_pk": "candidate_a.pk"},
        post=True,
    ),
    "certification:candidate_photo_file": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "candidate_pk": "candidate_a.pk"},
    ),
    "certification:expert_reviews": Row("anon=302 alice=404 bob=404 carol=404 dave=404 erin=200 admin=404"),
    "certification:expert_tick": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=302 admin=404",
        kwargs={"panelist_pk": "panelist_a.pk"},
        post=True,
    ),
    "certification:summary": Row("anon=302 alice=200 bob=200 carol=200 dave=200 erin=404 admin=404"),
    "certification:review_materials": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "candidate_pk": "candidate_a.pk"},
        post=True,
    ),
    "certification:review_queue": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    # eligibility
    "eligibility:check": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "eligibility:roster": Row("anon=302 alice=200 bob=200 carol=200 dave=200 erin=403 admin=403"),
    "eligibility:roster_template": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "eligibility:roster_download": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=403 admin=403", kwargs={"token": "=not-a-token"}
    ),
    # certificates
    "certificates:batch_list": Row("anon=302 alice=200 bob=200 carol=200 dave=200 erin=403 admin=403"),
    "certificates:batch_detail": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=403 admin=403", kwargs={"pk": "batch_a.pk"}
    ),
    "certificates:batch_status": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=403 admin=403", kwargs={"pk": "batch_a.pk"}
    ),
    "certificates:batch_resume": Row(
        "anon=302 alice=302 bob=404 carol=302 dave=302 erin=403 admin=403",
        kwargs={"pk": "batch_a.pk"},
        post=True,
    ),
    "certificates:batch_pdf": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=403 admin=403", kwargs={"pk": "batch_a.pk"}
    ),
    "certificates:certificate_pdf": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=403 admin=403",
        kwargs={"code": "certificate_a.code"},
    ),
    "certificates:verify": Row(
        "anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200",
        kwargs={"code": "certificate_a.code"},
        query="world.verify_query_a",
    ),
    "certificates:lookup": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "certificates:lookup_download": Row(
        "anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200", post=True
    ),
    "certificates:about": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "certificates:staff_certificates": Row(
        "anon=302 alice=403 bob=403 carol=200 dave=200 erin=403 admin=403"
    ),
    "certificates:staff_lookup_stats": Row(
        "anon=302 alice=403 bob=403 carol=200 dave=200 erin=403 admin=403"
    ),
    "certificates:staff_export": Row("anon=302 alice=403 bob=403 carol=200 dave=200 erin=403 admin=403"),
    "certificates:staff_certificate": Row(
        "anon=302 alice=403 bob=403 carol=200 dave=200 erin=403 admin=403",
        kwargs={"code": "certificate_a.code"},
    ),
    "certificates:staff_revoke": Row(
        "anon=302 alice=403 bob=403 carol=400 dave=403 erin=403 admin=403",
        kwargs={"code": "certificate_a.code"},
        post=True,
    ),
    "certificates:api_verify": Row("anon=400 alice=400 bob=400 carol=400 dave=400 erin=400 admin=400"),
    "certificates:openapi_json": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "certificates:api_docs": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
}
