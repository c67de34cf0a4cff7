"""Who may use which URL: the one readable table of the authorization matrix test.

Every named URL pattern of the project (outside the Django admin, which has its own permission
system) must have a row here; the test fails for a view that is missing and for a row whose view is
gone. Each row gives the URL arguments (taken from the test world: objects of institution A unless
the row says otherwise), the method, and the status each person gets:

    anon   an anonymous visitor          alice  applicant of institution A (owner of the world's objects)
    bob    applicant of institution B    carol  centre staff       dave  bureau
    erin   expert                        admin  superuser

Statuses: 200 ok, 302 redirect (to login for anon unless noted), 403 forbidden, 404 hidden,
405 method not allowed. A row may set ``post=True`` for views that change state: ``expect`` is then
what an empty POST gets, a POST without CSRF token is refused with 403, and ``get`` says what a stray
GET (a reload, a pasted link) gets (issue 29 item 5): 302 to the object's own page with a message for
whoever may see the object (the login page for anon), and the same 403/404 as the POST for everyone
else; it changes nothing. Each such view also has a row in
``POST_MATRIX`` below: what every person gets when POSTing it with a valid token, and that a refused
POST changes nothing (tests/hardening/test_post_matrix.py).
"""

from dataclasses import dataclass, field

PEOPLE = ("anon", "alice", "bob", "carol", "dave", "erin", "admin")


@dataclass(frozen=True)
class Row:
    expect: str  # "anon=302 alice=200 ..." for every person
    kwargs: dict = field(default_factory=dict)  # name -> attribute path in the world, e.g. "filing_a.pk"
    post: bool = False  # state-changing: POST without CSRF 403, a GET as ``get`` says
    query: str = ""
    get: str = ""  # post rows: "anon=302 alice=302 bob=404 ..." for a stray GET

    def expected(self) -> dict[str, int]:
        return _statuses(self.expect)

    def expected_get(self) -> dict[str, int]:
        return _statuses(self.get)


def _statuses(expect: str) -> dict[str, int]:
    pairs = dict(part.split("=") for part in expect.split())
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
    "readyz": Row(PUBLIC),
    "metrics": Row("anon=404 alice=404 bob=404 carol=404 dave=404 erin=404 admin=404"),  # a bearer token only
    "favicon": Row("anon=302 alice=302 bob=302 carol=302 dave=302 erin=302 admin=302"),  # to the static icon
    "register": Row(ANON_ONLY_FORM),
    "dashboard": Row("anon=302 alice=200 bob=200 carol=200 dave=200 erin=200 admin=302"),  # admin -> /admin/
    # the centre's dashboard and its charts' JSON (issue 37): centre staff and the bureau
    "centre_dashboard": Row("anon=302 alice=403 bob=403 carol=200 dave=200 erin=403 admin=403"),
    "centre_charts": Row("anon=302 alice=403 bob=403 carol=200 dave=200 erin=403 admin=403"),
    # the bureau's and the institutions' dashboards and their charts' JSON (issue 37, slice 2)
    "bureau_dashboard": Row("anon=302 alice=403 bob=403 carol=403 dave=200 erin=403 admin=403"),
    "bureau_charts": Row("anon=302 alice=403 bob=403 carol=403 dave=200 erin=403 admin=403"),
    "institution_dashboard": Row("anon=302 alice=200 bob=200 carol=403 dave=403 erin=403 admin=403"),
    "institution_charts": Row("anon=302 alice=200 bob=200 carol=403 dave=403 erin=403 admin=403"),
    "expert_dashboard": Row("anon=302 alice=403 bob=403 carol=403 dave=403 erin=200 admin=403"),
    "notifications": Row(LOGGED_IN),
    "job_list": Row(LOGGED_IN),
    "job_detail": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404", kwargs={"pk": "job_a.pk"}
    ),
    "job_status": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404", kwargs={"pk": "job_a.pk"}
    ),
    "job_result": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404", kwargs={"pk": "job_a.pk"}
    ),
    "notifications_read": Row(
        "anon=302 alice=302 bob=302 carol=302 dave=302 erin=302 admin=302",
        post=True,
        get="anon=302 alice=302 bob=302 carol=302 dave=302 erin=302 admin=302",
    ),
    # one notice marked read: only its own user (alice's here; anyone else's is not found)
    "notification_read": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "notification_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=302 carol=302 dave=302 erin=302 admin=302",
    ),
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
        get="anon=302 alice=404 bob=404 carol=302 dave=403 erin=404 admin=302",
    ),
    "login": Row(ANON_ONLY_FORM),
    "logout": Row(
        "anon=302 alice=302 bob=302 carol=302 dave=302 erin=302 admin=302",
        post=True,
        get="anon=302 alice=302 bob=302 carol=302 dave=302 erin=302 admin=302",
    ),
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
    "filings:new": Row(
        "anon=302 alice=302 bob=302 carol=404 dave=404 erin=404 admin=404",
        post=True,
        get="anon=302 alice=302 bob=302 carol=404 dave=404 erin=404 admin=404",
    ),
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
        get="anon=302 alice=404 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    "filings:attachment": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404",
        kwargs={"pk": "draft_a.pk", "attachment_pk": "attachment_a.pk"},
    ),
    "filings:delete_attachment": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "draft_a.pk", "attachment_pk": "attachment_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    "filings:application_pdf": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "filing_a.pk"}
    ),
    "filings:work_plan_pdf": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "filing_a.pk"}
    ),
    "filings:school_record_table": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:my_seal": Row("anon=302 alice=200 bob=200 carol=404 dave=404 erin=404 admin=404"),
    "filings:seal_queue": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:seal_image": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "seal_a.pk"}
    ),
    "filings:seal_act": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "seal_a.pk", "action": "=approve"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
    ),
    "certificates:seal_preview": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "seal_a.pk"}
    ),
    "filings:notice_pdf": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=404 admin=404", kwargs={"pk": "filing_a.pk"}
    ),
    "filings:expert_review": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=200 admin=404", kwargs={"pk": "evaluation_a.pk"}
    ),
    "filings:expert_home": Row("anon=302 alice=404 bob=404 carol=404 dave=404 erin=200 admin=404"),
    "filings:queue_home": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:queue_bulk": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
    ),
    "filings:queue": Row(
        "anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"state": "=submitted"}
    ),
    "filings:batches": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:batch": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=404 admin=404", kwargs={"pk": "=999999"}
    ),
    "filings:publicity": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    # the bureau's application rounds: public; only the bureau publishes one (issue 33 item 3)
    "filings:rounds": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "filings:round_new": Row("anon=302 alice=404 bob=404 carol=404 dave=200 erin=404 admin=404"),
    "filings:objection": Row(
        "anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200", kwargs={"pk": "publicity_a.pk"}
    ),
    "filings:resolve_objection": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "objection_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
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
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    "filings:impose_sanction": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "filing_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
    ),
    "filings:revoke": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=302 erin=404 admin=404",
        kwargs={"pk": "filing_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=404 dave=302 erin=404 admin=404",
    ),
    "filings:complete_rectification": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "sanction_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
    ),
    "filings:confirm_termination": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "termination_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
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
        get="anon=302 alice=404 bob=404 carol=302 dave=302 erin=404 admin=404",
    ),
    "filings:renewal_queue": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:renewal_detail": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "renewal_a.pk"}
    ),
    "filings:termination_queue": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:sanctions": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    # the blacklist: staff read it; only the bureau lifts an entry (issue 29 item 4)
    "filings:blacklist": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:blacklist_detail": Row(
        "anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "blacklist_a.pk"}
    ),
    "filings:blacklist_lift": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=302 erin=404 admin=404",
        kwargs={"pk": "blacklist_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=404 dave=302 erin=404 admin=404",
    ),
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
    "filings:inspection_publish": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "inspection_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
    ),
    "filings:referrals": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "filings:referral_detail": Row(
        "anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "referral_a.pk"}
    ),
    "filings:referral_conclude": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "referral_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
    ),
    "filings:public_inspections": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
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
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    "certification:roster_template": Row("anon=302 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "certification:staff_add": Row(
        "anon=302 alice=404 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    "certification:staff_remove": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "staff_pk": "=999999"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    "certification:plan_submit": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    "certification:plan_approve": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
    ),
    "certification:plan_return": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
    ),
    "certification:scores_upload": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    "certification:scores_template": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "plan_a.pk"}
    ),
    "certification:plan_report": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    "certification:plan_verify": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
    ),
    "certification:plan_uploaded": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
    ),
    # 签发证书: the institution's own users and the centre (plan_a is not verified: back with the reason)
    "certificates:plan_issue": Row(
        "anon=302 alice=302 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=302 dave=404 erin=404 admin=404",
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
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
    ),
    "certification:review_draw": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "candidate_pk": "candidate_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
    ),
    "certification:review_record": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "candidate_pk": "candidate_a.pk", "review_pk": "review_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
    ),
    "certification:candidate_photo": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "candidate_pk": "candidate_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    # issue 29 item 1: candidate photos as one ZIP named by ID number (the institution's own plans)
    "certification:photos_zip": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
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
        get="anon=302 alice=404 bob=404 carol=404 dave=404 erin=302 admin=404",
    ),
    "certification:summary": Row("anon=302 alice=200 bob=200 carol=200 dave=200 erin=404 admin=404"),
    # seed 004 四(四)3: the institution's monthly summaries (its own only) and the centre's city total
    "certification:monthly": Row("anon=302 alice=200 bob=200 carol=404 dave=404 erin=404 admin=404"),
    "certification:monthly_month": Row(
        "anon=302 alice=200 bob=200 carol=404 dave=404 erin=404 admin=404",
        kwargs={"year": "=2026", "month": "=6"},
    ),
    "certification:monthly_city": Row("anon=302 alice=404 bob=404 carol=200 dave=404 erin=404 admin=404"),
    "certification:review_materials": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "candidate_pk": "candidate_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
    ),
    "certification:review_queue": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    # issue 44: the exam day (考场安排): the owning institution arranges; centre and bureau staff read
    "certification:sessions": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "plan_a.pk"}
    ),
    "certification:session_new": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404", kwargs={"pk": "plan_a.pk"}
    ),
    "certification:session_allocate": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    "certification:session": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "session_pk": "exam_session_a.pk"},
    ),
    # issue 44: the owning institution edits a session (GET and POST) and deletes it (a confirmation page,
    # then POST only)
    "certification:session_edit": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "session_pk": "exam_session_a.pk"},
    ),
    "certification:session_delete_confirm": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "session_pk": "exam_session_a.pk"},
    ),
    "certification:session_delete": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "session_pk": "exam_session_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    "certification:seat_move": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "session_pk": "exam_session_a.pk", "seat_pk": "seat_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    # issue 44 item 3: sign-in: the owning institution marks; centre and bureau staff read and print
    "certification:session_sign_in": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "session_pk": "exam_session_a.pk"},
    ),
    "certification:session_sign_in_mark": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "session_pk": "exam_session_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    "certification:session_sign_in_sheet": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404",
        kwargs={"pk": "plan_a.pk", "session_pk": "exam_session_a.pk"},
    ),
    # issue 44 item 4: the centre's calendar and on-site checks; the bureau reads; everyone else 403
    "certification:session_calendar": Row("anon=302 alice=403 bob=403 carol=200 dave=200 erin=403 admin=403"),
    "certification:session_checks_draw": Row(
        "anon=302 alice=403 bob=403 carol=302 dave=403 erin=403 admin=403",
        post=True,
        get="anon=302 alice=403 bob=403 carol=302 dave=403 erin=403 admin=403",
    ),
    "certification:session_check": Row(
        "anon=302 alice=403 bob=403 carol=200 dave=200 erin=403 admin=403",
        kwargs={"session_pk": "exam_session_a.pk"},
    ),
    # issue 44 item 2: the plan's 准考证 batch for whoever reads its sessions; the candidate's own is public
    "certification:ticket_batch": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "plan_a.pk"}
    ),
    "certification:ticket_lookup": Row(PUBLIC),
    "certification:review_paper": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404",
        kwargs={
            "pk": "plan_a.pk",
            "candidate_pk": "candidate_a.pk",
            "review_pk": "review_a.pk",
            "kind": "=application",
        },
    ),
    "certification:review_list": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404", kwargs={"pk": "plan_a.pk"}
    ),
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
        get="anon=302 alice=302 bob=404 carol=302 dave=302 erin=403 admin=403",
    ),
    "certificates:batch_pdf": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=403 admin=403", kwargs={"pk": "batch_a.pk"}
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
        "anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200",
        post=True,
        get="anon=302 alice=302 bob=302 carol=302 dave=302 erin=302 admin=302",
    ),
    "certificates:about": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    # issue 45: the offline verification page and what it keeps are public
    "certificates:offline_verify": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "certificates:offline_sw": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "certificates:offline_keys": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "certificates:offline_revoked": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "certificates:staff_certificates": Row(
        "anon=302 alice=403 bob=403 carol=200 dave=200 erin=403 admin=403"
    ),
    # issue 38 item 5: the annual statistics, centre and bureau only
    "certificates:statistics": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "certificates:staff_lookup_stats": Row(
        "anon=302 alice=403 bob=403 carol=200 dave=200 erin=403 admin=403"
    ),
    "certificates:staff_export": Row("anon=302 alice=403 bob=403 carol=200 dave=200 erin=403 admin=403"),
    "certificates:staff_export_job": Row(  # an empty form: the export page with what is missing
        "anon=302 alice=403 bob=403 carol=400 dave=400 erin=403 admin=403",
        post=True,
        get="anon=302 alice=403 bob=403 carol=302 dave=302 erin=403 admin=403",
    ),
    "certificates:staff_certificate": Row(
        "anon=302 alice=403 bob=403 carol=200 dave=200 erin=403 admin=403",
        kwargs={"code": "certificate_a.code"},
    ),
    "certificates:staff_revoke": Row(
        "anon=302 alice=403 bob=403 carol=400 dave=403 erin=403 admin=403",
        kwargs={"code": "certificate_a.code"},
        post=True,
        get="anon=302 alice=403 bob=403 carol=302 dave=403 erin=403 admin=403",
    ),
    "certificates:staff_link_document": Row(
        "anon=302 alice=403 bob=403 carol=400 dave=403 erin=403 admin=403",
        kwargs={"code": "certificate_a.code"},
        post=True,
        get="anon=302 alice=403 bob=403 carol=302 dave=403 erin=403 admin=403",
    ),
    # undo a link (issue 43 item 3): an empty reason is sent back to the certificate's page with the message
    "certificates:staff_unlink_document": Row(
        "anon=302 alice=403 bob=403 carol=302 dave=403 erin=403 admin=403",
        kwargs={"code": "certificate_a.code", "pk": "document_link_a.pk"},
        post=True,
        get="anon=302 alice=403 bob=403 carol=302 dave=403 erin=403 admin=403",
    ),
    "certificates:api_verify": Row("anon=400 alice=400 bob=400 carol=400 dave=400 erin=400 admin=400"),
    "certificates:api_by_document": Row("anon=400 alice=400 bob=400 carol=400 dave=400 erin=400 admin=400"),
    "certificates:openapi_json": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "certificates:api_docs": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    # talent: anyone logged in may start a title application for themself; only its filer opens it (the
    # world's is alice's); the queue is for the four title roles, which nobody here holds
    "talent:new": Row(LOGGED_IN),
    "talent:edit": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "title_application_a.pk"},
    ),
    "talent:queue": Row("anon=302 alice=403 bob=403 carol=403 dave=403 erin=403 admin=403"),
    # the application's page and its PDF: whoever may see it (here only alice, its filer); the list of
    # one's applications: anyone logged in (their own, or their body's)
    "talent:mine": Row(LOGGED_IN),
    "talent:detail": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "title_application_a.pk"},
    ),
    "talent:application_pdf": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "title_application_a.pk"},
    ),
    # a step on it: alice (its filer) is told her draft cannot be recommended; a stranger gets 404
    "talent:act": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "title_application_a.pk", "action": "=recommend"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    # the skill application (附件2 三, 四(二)): skill_application_a is alice's draft; only she opens it (a
    # draft reaches no body yet); the queue is for the bodies: the centre and the institutions' users
    "talent:skill_mine": Row(LOGGED_IN),  # 我的技能评价申请: one's own only
    "talent:skill_new": Row(LOGGED_IN),
    "talent:skill_edit": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "skill_application_a.pk"},
    ),
    "talent:skill_detail": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "skill_application_a.pk"},
    ),
    # its PDFs (四(二)1 申请表; 四(二)2 资格评审表, the draft being for 技师): whoever may see it
    "talent:skill_application_pdf": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "skill_application_a.pk"},
    ),
    "talent:skill_review_pdf": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "skill_application_a.pk"},
    ),
    "talent:skill_queue": Row("anon=302 alice=200 bob=200 carol=200 dave=403 erin=403 admin=403"),
    "talent:skill_act": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "skill_application_a.pk", "action": "=accept"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    # appraisals (the enterprise 职业技能鉴定): alice's institution is the enterprise; the list for the
    # enterprise's users, the centre and the bureau; a new 申请表 for an applicant of an institution; the
    # queue for the centre and the bureau; the draft's form for its enterprise only; the submitted
    # application's page and PDFs for its enterprise, the centre and the bureau; anyone else 404
    "appraisals:mine": Row("anon=302 alice=200 bob=200 carol=200 dave=200 erin=404 admin=404"),
    "appraisals:new": Row("anon=302 alice=200 bob=200 carol=404 dave=404 erin=404 admin=404"),
    "appraisals:queue": Row("anon=302 alice=404 bob=404 carol=200 dave=200 erin=404 admin=404"),
    "appraisals:edit": Row(
        "anon=302 alice=200 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "appraisal_draft_a.pk"},
    ),
    **{
        f"appraisals:{name}": Row(
            "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404",
            kwargs={"pk": "appraisal_a.pk"},
        )
        for name in ("detail", "application_pdf", "plan_pdf")
    },
    # the roster upload on the draft: its enterprise is told no file was chosen, anyone else 404
    "appraisals:roster": Row(
        "anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "appraisal_draft_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=404 dave=404 erin=404 admin=404",
    ),
    # a step on the submitted one: the centre files it (empty form: the comment is optional), the
    # enterprise and the bureau are told they may not, anyone else 404
    "appraisals:act": Row(
        "anon=302 alice=302 bob=404 carol=302 dave=302 erin=404 admin=404",
        kwargs={"pk": "appraisal_a.pk", "action": "=file"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=302 dave=302 erin=404 admin=404",
    ),
    # 四(四): the scores page of the arranged one for whoever may see it; one score and the score sheet
    # POST only (an empty score clears it; no file: told to choose one), a stray GET goes to the page
    "appraisals:scores": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404",
        kwargs={"pk": "appraisal_arranged_a.pk"},
    ),
    # 五(三): a 技师 candidate's 资格评审表 for whoever may see the application
    "appraisals:review_form_pdf": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404",
        kwargs={"pk": "appraisal_reviewing_a.pk", "candidate": "appraisal_master_a.pk"},
    ),
    # 四(五): the reviews page for whoever may see the 鉴定; drawing a panel and recording a result POST
    # only (the centre; the enterprise and the bureau are told they may not), a stray GET to the page
    "appraisals:reviews": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404",
        kwargs={"pk": "appraisal_reviewing_a.pk"},
    ),
    "appraisals:draw_review": Row(
        "anon=302 alice=302 bob=404 carol=302 dave=302 erin=404 admin=404",
        kwargs={"pk": "appraisal_reviewing_a.pk", "candidate": "appraisal_master_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=302 dave=302 erin=404 admin=404",
    ),
    "appraisals:record_review": Row(
        "anon=302 alice=302 bob=404 carol=302 dave=302 erin=404 admin=404",
        kwargs={"pk": "appraisal_reviewing_a.pk", "review": "appraisal_review_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=302 dave=302 erin=404 admin=404",
    ),
    "appraisals:score": Row(
        "anon=302 alice=302 bob=404 carol=302 dave=302 erin=404 admin=404",
        kwargs={"pk": "appraisal_arranged_a.pk", "candidate": "appraisal_candidate_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=302 dave=302 erin=404 admin=404",
    ),
    "appraisals:score_sheet": Row(
        "anon=302 alice=302 bob=404 carol=302 dave=302 erin=404 admin=404",
        kwargs={"pk": "appraisal_arranged_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=302 dave=302 erin=404 admin=404",
    ),
    # the public score publicity (names masked) for everyone; the objection POST only (an empty form is
    # shown again with its errors), a GET goes to the publicity page; resolving it: the centre only
    "appraisals:publicity_list": Row("anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200"),
    "appraisals:publicity": Row(
        "anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200",
        kwargs={"pk": "appraisal_publicised_a.pk"},
    ),
    "appraisals:objection": Row(
        "anon=200 alice=200 bob=200 carol=200 dave=200 erin=200 admin=200",
        kwargs={"pk": "appraisal_publicised_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=302 carol=302 dave=302 erin=302 admin=302",
    ),
    # 四(六) (certificates): the issued 鉴定's 职业资格证书 for whoever may see the 鉴定; 核发职业资格证书 on the
    # reported one POST only (the bureau; the enterprise and the centre are told they may not), a stray
    # GET goes to the 鉴定's page; anyone else 404
    "certificates:appraisal_certificates": Row(
        "anon=302 alice=200 bob=404 carol=200 dave=200 erin=404 admin=404",
        kwargs={"pk": "appraisal_issued_a.pk"},
    ),
    "certificates:appraisal_issue": Row(
        "anon=302 alice=302 bob=404 carol=302 dave=302 erin=404 admin=404",
        kwargs={"pk": "appraisal_reported_a.pk"},
        post=True,
        get="anon=302 alice=302 bob=404 carol=302 dave=302 erin=404 admin=404",
    ),
    "appraisals:resolve_objection": Row(
        "anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
        kwargs={"pk": "appraisal_objection_a.pk"},
        post=True,
        get="anon=302 alice=404 bob=404 carol=302 dave=404 erin=404 admin=404",
    ),
}


# ---------------------------------------------------------------------------------------------------------
# POST with a valid CSRF token (tests/hardening/test_post_matrix.py)
#
# Every POST-only route above, POSTed with a valid token by every person; the filing and change actions
# once per action name (key "route/action"). Outcomes:
#
#     login    302 to the login page          403 / 404 / 400   refused by the view
#     refused  302 back (or the page) with an error message: checked, not done
#     ok       302 or 200 with no error message: done (the database changed, unless changes=False)
#
# Whatever is not "ok" must leave every table of the project's apps (states, audit trail, outbox,
# attachments, certificates) exactly as it was. Objects are institution A's; "at_<state>" is a filing of
# institution A in that state (the publicity one has ended), so the right person can do the action.


@dataclass(frozen=True)
class PostRow:
    expect: str  # "anon=login alice=404 ..." for every person
    kwargs: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)  # the form the page would post ("=x" literal, else a path)
    changes: bool = True  # an "ok" must change the database (False: logout, mark read, a lookup)

    def expected(self) -> dict[str, str]:
        pairs = dict(part.split("=") for part in self.expect.split())
        missing = set(PEOPLE) - set(pairs)
        if missing:
            raise ValueError(f"row lacks {sorted(missing)}")
        return pairs


# Recurring rows. The filing and change actions: staff only (an applicant or expert gets 404); the other
# staff role is told it may not ("您没有执行此操作的权限", back to the page); a superuser is not staff here.
CENTRE_ACTS = "anon=login alice=404 bob=404 carol=ok dave=refused erin=404 admin=404"
BUREAU_ACTS = "anon=login alice=404 bob=404 carol=refused dave=ok erin=404 admin=404"
# Not possible in the world's state for anyone (too few experts or reviews, the wrong kind of change):
# both staff roles are sent back with the reason, nothing changes.
STAFF_NOT_NOW = "anon=login alice=404 bob=404 carol=refused dave=refused erin=404 admin=404"
APPRAISAL_CENTRE = "anon=login alice=refused bob=404 carol=ok dave=refused erin=404 admin=404"
APPRAISAL_BUREAU = "anon=login alice=refused bob=404 carol=refused dave=ok erin=404 admin=404"
CENTRE_ONLY = "anon=login alice=404 bob=404 carol=ok dave=404 erin=404 admin=404"
CENTRE_NOT_NOW = "anon=login alice=404 bob=404 carol=refused dave=404 erin=404 admin=404"
# plan_a is submitted: its institution's user is told why not (the plan can no longer change, no file
# chosen, the review not done); every other person gets 404.
OWNER_NOT_NOW = "anon=login alice=refused bob=404 carol=404 dave=404 erin=404 admin=404"


def _act(state, action, **data):
    kwargs = {"pk": f"{state}.pk", "action": f"={action}"}
    return kwargs, {"version": f"{state}.version", "comment": "=意见", **data}


_RECORD = {"city_code": "=01", "institution_type": "=1", "route_code": "=0000"}
_CONCLUDE = {"score": "=85", "opinion": "=符合条件", "recommend": "=True"}
_CANDIDATE = {"pk": "plan_a.pk", "candidate_pk": "candidate_a.pk"}
_PLAN = {"pk": "plan_a.pk"}

POST_MATRIX: dict[str, PostRow] = {
    # portal
    "notifications_read": PostRow(
        "anon=login alice=ok bob=ok carol=ok dave=ok erin=ok admin=ok", changes=False
    ),
    "notification_read": PostRow(
        "anon=login alice=ok bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "notification_a.pk"},
    ),
    "calendar_complete": PostRow(
        "anon=login alice=404 bob=404 carol=ok dave=403 erin=404 admin=ok",
        kwargs={"year": "=2027"},
        data={"complete": "=1"},
    ),
    "logout": PostRow("anon=ok alice=ok bob=ok carol=ok dave=ok erin=ok admin=ok", changes=False),
    # filings: an applicant with an application in progress is sent back to it
    "filings:new": PostRow("anon=login alice=refused bob=refused carol=404 dave=404 erin=404 admin=404"),
    # the filing page's actions, each on an institution A filing in the state it starts from
    "filings:act/submit": PostRow(  # the applicant's own, through the edit page: not an action here
        "anon=login alice=404 bob=404 carol=404 dave=404 erin=404 admin=404", *_act("draft_a", "submit")
    ),
    "filings:act/assign": PostRow(CENTRE_ACTS, *_act("at_submitted", "assign", assignee="carol.pk")),
    "filings:act/pass": PostRow(CENTRE_ACTS, *_act("at_submitted", "pass")),
    "filings:act/return": PostRow(CENTRE_ACTS, *_act("at_submitted", "return")),
    "filings:act/reject": PostRow(CENTRE_ACTS, *_act("at_submitted", "reject")),
    "filings:act/draw": PostRow(STAFF_NOT_NOW, *_act("at_under_evaluation", "draw")),  # 1 expert, 3 needed
    "filings:act/recommend": PostRow(STAFF_NOT_NOW, *_act("at_under_evaluation", "recommend")),  # no reviews
    "filings:act/not_recommend": PostRow(STAFF_NOT_NOW, *_act("at_under_evaluation", "not_recommend")),
    "filings:act/approve": PostRow(BUREAU_ACTS, *_act("at_evaluated", "approve")),
    "filings:act/bureau_reject": PostRow(BUREAU_ACTS, *_act("at_evaluated", "bureau_reject")),
    "filings:act/open_publicity": PostRow(CENTRE_ACTS, *_act("at_approved", "open_publicity")),
    "filings:act/close_publicity": PostRow(CENTRE_ACTS, *_act("at_publicity_over", "close_publicity")),
    # seed 001 第十条(五): the publication on the ministry's system is recorded, then the notice issued
    "filings:act/publish": PostRow(
        CENTRE_ACTS, *_act("at_awaiting_record", "publish", published_on="=2020-01-10")
    ),
    "filings:act/record": PostRow(CENTRE_ACTS, *_act("at_published", "record", **_RECORD)),
    "filings:delete_attachment": PostRow(
        "anon=login alice=ok bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "draft_a.pk", "attachment_pk": "attachment_a.pk"},
        data={"version": "draft_a.version"},
    ),
    # an empty form: the centre is sent back to the queue with what is missing, nothing changes
    "filings:queue_bulk": PostRow(
        "anon=login alice=404 bob=404 carol=refused dave=404 erin=404 admin=404",
        data={"state": "=submitted", "action": "=assign"},
    ),
    "filings:seal_act": PostRow(CENTRE_ONLY, kwargs={"pk": "seal_a.pk", "action": "=approve"}),
    "filings:resolve_objection": PostRow(
        CENTRE_ONLY, kwargs={"pk": "objection_a.pk"}, data={"decision": "=upheld", "resolution": "=经核实"}
    ),
    "filings:request_termination": PostRow(  # termination_a is pending: alice is told so
        OWNER_NOT_NOW,
        kwargs={"pk": "filing_a.pk"},
        data={"reason": "=停止业务", "follow_up": "=已妥善安置", "confirm": "=on"},
    ),
    "filings:impose_sanction": PostRow(
        CENTRE_ONLY, kwargs={"pk": "filing_a.pk"}, data={"kind": "=criticism", "reason": "=考务记录不全"}
    ),
    "filings:revoke": PostRow(
        "anon=login alice=404 bob=404 carol=404 dave=ok erin=404 admin=404",
        kwargs={"pk": "filing_a.pk"},
        data={"reason": "=弄虚作假", "confirm": "=on"},
    ),
    "filings:blacklist_lift": PostRow(
        "anon=login alice=404 bob=404 carol=404 dave=ok erin=404 admin=404",
        kwargs={"pk": "blacklist_a.pk"},
        data={"reason": "=复核后撤销原决定", "confirm": "=on"},
    ),
    "filings:complete_rectification": PostRow(
        CENTRE_ONLY, kwargs={"pk": "sanction_a.pk"}, data={"report": "=已整改"}
    ),
    "filings:confirm_termination": PostRow(
        CENTRE_ONLY, kwargs={"pk": "termination_a.pk"}, data={"comment": "=同意"}
    ),
    "filings:inspection_publish": PostRow(
        CENTRE_ONLY, kwargs={"pk": "inspection_a.pk"}, data={"measure": "=责令整改"}
    ),
    "filings:referral_conclude": PostRow(
        CENTRE_ONLY,
        kwargs={"pk": "referral_a.pk"},
        data={"outcome": "=已立案", "concluded_on": "=2026-06-02"},
    ),
    # the change request's actions (change_a: a site change of A's filed filing, awaiting the centre;
    # a site change needs no expert evaluation, and the bureau's steps come later)
    **{
        f"filings:change_act/{action}": PostRow(
            expect,
            kwargs={"pk": "change_a.pk", "action": f"={action}"},
            data={"comment": "=意见", **(_CONCLUDE if action == "conclude" else {})},
        )
        for action, expect in (
            ("approve", CENTRE_ACTS),
            ("reject", CENTRE_ACTS),
            ("evaluate", STAFF_NOT_NOW),
            ("conclude", STAFF_NOT_NOW),
            ("bureau_approve", STAFF_NOT_NOW),
            ("record", STAFF_NOT_NOW),
        )
    },
    # 四(六): the bureau issues the reported 鉴定's 职业资格证书; the enterprise and the centre are told they
    # may not; anyone else 404
    "certificates:appraisal_issue": PostRow(APPRAISAL_BUREAU, kwargs={"pk": "appraisal_reported_a.pk"}),
    # certification (plan_a: submitted and staffed, one candidate under comprehensive review)
    "certification:roster_upload": PostRow(OWNER_NOT_NOW, kwargs=_PLAN),  # no file: "请选择名册文件"
    "certification:staff_add": PostRow(
        OWNER_NOT_NOW, kwargs=_PLAN, data={"role": "=assessor", "person": "=1"}
    ),
    "certification:staff_remove": PostRow(OWNER_NOT_NOW, kwargs={**_PLAN, "staff_pk": "=999999"}),
    "certification:plan_submit": PostRow(OWNER_NOT_NOW, kwargs=_PLAN),
    "certification:plan_approve": PostRow(CENTRE_ONLY, kwargs=_PLAN, data={"comment": "=同意"}),
    "certification:plan_return": PostRow(CENTRE_ONLY, kwargs=_PLAN, data={"reason": "=补充材料"}),
    "certification:scores_upload": PostRow(OWNER_NOT_NOW, kwargs=_PLAN),
    "certification:plan_report": PostRow(OWNER_NOT_NOW, kwargs=_PLAN),
    "certification:plan_verify": PostRow(CENTRE_NOT_NOW, kwargs=_PLAN),  # not yet reported
    "certification:plan_uploaded": PostRow(CENTRE_NOT_NOW, kwargs=_PLAN),
    "certificates:plan_issue": PostRow(  # not verified: both are told why
        "anon=login alice=refused bob=404 carol=refused dave=404 erin=404 admin=404", kwargs=_PLAN
    ),
    "certification:candidate_override": PostRow(
        CENTRE_NOT_NOW, kwargs=_CANDIDATE, data={"reason": "=复核无误"}
    ),
    "certification:review_draw": PostRow(CENTRE_NOT_NOW, kwargs=_CANDIDATE),  # one review is open
    "certification:review_record": PostRow(CENTRE_NOT_NOW, kwargs={**_CANDIDATE, "review_pk": "review_a.pk"}),
    "certification:candidate_photo": PostRow(OWNER_NOT_NOW, kwargs=_CANDIDATE),
    "certification:photos_zip": PostRow(OWNER_NOT_NOW, kwargs=_PLAN),  # no file: "请选择照片压缩包"
    "certification:expert_tick": PostRow(
        "anon=login alice=404 bob=404 carol=404 dave=404 erin=ok admin=404",
        kwargs={"panelist_pk": "panelist_a.pk"},
        data={"tick": "=1"},
    ),
    "certification:review_materials": PostRow(CENTRE_NOT_NOW, kwargs=_CANDIDATE),  # no date given
    # issue 44: allocation keeps candidate_a's seat and records that it ran; a move needs a session to go to
    "certification:session_allocate": PostRow(
        "anon=login alice=ok bob=404 carol=404 dave=404 erin=404 admin=404", kwargs=_PLAN
    ),
    "certification:seat_move": PostRow(
        OWNER_NOT_NOW,
        kwargs={**_PLAN, "session_pk": "exam_session_a.pk", "seat_pk": "seat_a.pk"},
        data={"to": "=999999"},
    ),
    # issue 44: nobody in exam_session_a is marked yet, so its institution deletes it (candidate_a's seat
    # goes with it)
    "certification:session_delete": PostRow(
        "anon=login alice=ok bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={**_PLAN, "session_pk": "exam_session_a.pk"},
    ),
    # issue 44 item 3: everyone else present (the world's session day has come, or the refusal says when)
    "certification:session_sign_in_mark": PostRow(
        "anon=login alice=ok bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={**_PLAN, "session_pk": "exam_session_a.pk"},
        data={"rest": "=present"},
    ),
    # issue 44 item 4: no day given (refused); the findings form (GET and POST) is tested in test_session_checks
    "certification:session_checks_draw": PostRow(
        "anon=login alice=403 bob=403 carol=refused dave=403 erin=403 admin=403"
    ),
    # certificates
    "certificates:batch_resume": PostRow(  # audited; issued certificates are not issued twice
        "anon=login alice=ok bob=404 carol=ok dave=ok erin=403 admin=403", kwargs={"pk": "batch_a.pk"}
    ),
    "certificates:lookup_download": PostRow(  # public: logged as a lookup, the form asks for the ID
        "anon=ok alice=ok bob=ok carol=ok dave=ok erin=ok admin=ok",
        data={"code": "certificate_a.code"},
        changes=False,
    ),
    "certificates:staff_export_job": PostRow(  # a job for the clerk, audited like the download
        "anon=login alice=403 bob=403 carol=ok dave=ok erin=403 admin=403", data={"batch": "batch_a.pk"}
    ),
    "certificates:staff_revoke": PostRow(
        "anon=login alice=403 bob=403 carol=ok dave=403 erin=403 admin=403",
        kwargs={"code": "certificate_a.code"},
        data={"reason": "=弄虚作假", "confirm": "=on"},
    ),
    "certificates:staff_link_document": PostRow(
        "anon=login alice=403 bob=403 carol=ok dave=403 erin=403 admin=403",
        kwargs={"code": "certificate_a.code"},
        data={"other_kind": "=passport", "other_number": "=USA123456789", "reason": "=核验了证件原件"},
    ),
    "certificates:staff_unlink_document": PostRow(
        "anon=login alice=403 bob=403 carol=ok dave=403 erin=403 admin=403",
        kwargs={"code": "certificate_a.code", "pk": "document_link_a.pk"},
        data={"reason": "=关联有误，并非同一人"},
    ),
    # talent: skill_application_a is alice's draft; she may take none of the body's steps (the state, else
    # the role, refuses); nobody else sees it
    **{
        f"talent:skill_act/{action}": PostRow(
            "anon=login alice=refused bob=404 carol=404 dave=404 erin=404 admin=404",
            kwargs={"pk": "skill_application_a.pk", "action": f"={action}"},
            data=data,
        )
        for action, data in (
            ("accept", {"accept-comment": "=受理"}),
            ("return_for_correction", {"return_for_correction-reason": "=补充材料"}),
            ("reject", {"reject-reason": "=不符合条件"}),
        )
    },
    # talent: title_application_a is alice's draft; she may take none of the other roles' steps (the
    # state, else the role, refuses), nobody else sees it (nobody in the world holds a title role)
    **{
        f"talent:act/{action}": PostRow(
            "anon=login alice=refused bob=404 carol=404 dave=404 erin=404 admin=404",
            kwargs={"pk": "title_application_a.pk", "action": f"={action}"},
            data=data,
        )
        for action, data in (
            ("recommend", {"recommend-comment": "=同意推荐"}),
            ("return_by_employer", {"return_by_employer-reason": "=补充材料"}),
            ("approve", {"approve-comment": "=同意"}),
            ("return_for_correction", {"return_for_correction-reason": "=补充材料"}),
            ("reject", {"reject-reason": "=不符合条件"}),
            (
                "record_pass",
                {
                    "record_pass-certificate_number": "=津2026-1",
                    "record_pass-certificate_date": "=2026-01-05",
                },
            ),
            ("record_fail", {"record_fail-opinion": "=业绩不足"}),
            ("record_recognition", {"record_recognition-certificate_number": "=津2026-2"}),
            (
                "appoint",
                {"appoint-certificate_number": "=津聘2026-1", "appoint-certificate_date": "=2026-01-05"},
            ),
        )
    },
    # appraisals: the roster upload without a file (a valid file: tests/appraisals/test_pages.py)
    "appraisals:roster": PostRow(
        "anon=login alice=refused bob=404 carol=404 dave=404 erin=404 admin=404",
        kwargs={"pk": "appraisal_draft_a.pk"},
    ),
    # appraisals: each step on institution A's application in the state it starts from; the enterprise
    # (alice) and the other staff role are told they may not; anyone else 404
    **{
        f"appraisals:act/{action}": PostRow(
            expect, kwargs={"pk": f"{obj}.pk", "action": f"={action}"}, data=data
        )
        for action, obj, expect, data in (
            ("file", "appraisal_a", APPRAISAL_CENTRE, {"file-comment": "=材料齐全"}),
            (
                "return_for_correction",
                "appraisal_a",
                APPRAISAL_CENTRE,
                {"return_for_correction-reason": "=补充考评员证书"},
            ),
            ("reject", "appraisal_a", APPRAISAL_CENTRE, {"reject-reason": "=场地不符合要求"}),
            (
                "answer_adjustment",
                "appraisal_filed_a",
                APPRAISAL_CENTRE,
                {"answer_adjustment-granted": "=1", "answer_adjustment-reason": "=同意"},
            ),
            (
                "record_questions",
                "appraisal_filed_a",
                APPRAISAL_CENTRE,
                {"record_questions-source": "=experts"},
            ),
            (
                "dispatch",
                "appraisal_recorded_a",
                APPRAISAL_BUREAU,
                {"dispatch-how": "=draw", "dispatch-count": "=1"},
            ),
            # 四(四): the centre publicises the scored one; the enterprise reports the one whose
            # publicity ended unopposed
            ("publicise", "appraisal_arranged_a", APPRAISAL_CENTRE, {}),
            (
                "report",
                "appraisal_reportable_a",
                "anon=login alice=ok bob=404 carol=refused dave=refused erin=404 admin=404",
                {},
            ),
        )
    },
    # 四(四): a score -- the centre's theory, the enterprise's practical, the bureau may not; the score
    # sheet without a file is refused; anyone objects to the publicised scores; the centre resolves
    "appraisals:score": PostRow(
        "anon=login alice=ok bob=404 carol=ok dave=refused erin=404 admin=404",
        kwargs={"pk": "appraisal_arranged_a.pk", "candidate": "appraisal_candidate_a.pk"},
        data={"score": "=65"},
    ),
    # 四(五): the centre draws (the matrix world's pool is too small: refused, told why) and records
    "appraisals:draw_review": PostRow(
        "anon=login alice=refused bob=404 carol=refused dave=refused erin=404 admin=404",
        kwargs={"pk": "appraisal_reviewing_a.pk", "candidate": "appraisal_master_a.pk"},
    ),
    "appraisals:record_review": PostRow(
        "anon=login alice=refused bob=404 carol=ok dave=refused erin=404 admin=404",
        kwargs={"pk": "appraisal_reviewing_a.pk", "review": "appraisal_review_a.pk"},
        data={"performance": "=80", "passes": "=0"},
    ),
    "appraisals:score_sheet": PostRow(
        "anon=login alice=refused bob=404 carol=refused dave=refused erin=404 admin=404",
        kwargs={"pk": "appraisal_arranged_a.pk"},
    ),
    "appraisals:objection": PostRow(
        "anon=ok alice=ok bob=ok carol=ok dave=ok erin=ok admin=ok",
        kwargs={"pk": "appraisal_publicised_a.pk"},
        data={"name": "=李四", "contact": "=13800000000", "text": "=理论成绩有误"},
    ),
    "appraisals:resolve_objection": PostRow(
        "anon=login alice=404 bob=404 carol=ok dave=404 erin=404 admin=404",
        kwargs={"pk": "appraisal_objection_a.pk"},
        data={"resolve-upheld": "=0", "resolve-resolution": "=经核查成绩无误"},
    ),
}
