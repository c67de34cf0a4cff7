"""Public lookup (seed 001 第八条; seed 004 四(四)2): by code + name or ID number + name, masked ID,
identical not-found answers, the per-IP rate limit with its Chinese 429 page, the log, the download."""

import re

import pytest
from django.urls import reverse

from certificates import lookup
from certificates.models import Certificate, LookupEvent
from tests.certificates.factories import CertificateFactory, OccupationFactory, id_number
from tests.certificates.factories_lookup import fresh_rate_limits  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

URL = "/certificates/lookup/"


def by_code(client, code, name, **extra):
    return client.post(URL, {"by": "code", "code": code, "name": name}, **extra)


def by_id(client, number, name):
    return client.post(URL, {"by": "id", "id_number": number, "name": name})


def result_section(response) -> str:
    """The result part of the page (the forms above echo what was typed, by design)."""
    html = response.content.decode()
    match = re.search(r'<section class="mt-4" data-testid="lookup-result".*?</section>', html, re.S)
    assert match, "no result section"
    return match.group(0)


def test_the_page_is_public_and_in_chinese(client):
    assert reverse("certificates:lookup") == URL
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "证书查询" in html and "职业资格证书" in html and "按证件号码查询" in html
    assert 'data-testid="lookup-result"' not in html  # nothing searched yet


def test_lookup_by_code_and_name_shows_the_public_fields_with_the_id_masked(client):
    cert = CertificateFactory(holder_name="王芳", id_number=id_number(12), work_type="——")
    response = by_code(client, cert.code, "王芳")
    assert response.status_code == 200
    section = result_section(response)
    masked = cert.id_number[:6] + "********" + cert.id_number[-4:]
    assert masked in section
    assert cert.id_number not in response.content.decode()  # nowhere on the page
    for text in (cert.code, "王芳", cert.occupation_name, cert.occupation_code, "——", "三级/高级工"):
        assert text in section
    assert cert.institution_name in section and cert.issue_date.strftime("%Y-%m-%d") in section
    assert "有效" in section
    assert response["Cache-Control"] == "no-store"


def test_masking_keeps_first_six_and_last_four_only():
    cert = CertificateFactory.build(id_number="12010119900101001X")
    public = lookup.PublicCertificate.of(cert)
    assert public.id_number_masked == "120101********001X"
    assert public.id_number_masked.count("*") == 8


def test_a_wrong_name_and_a_wrong_code_give_the_same_answer(client):
    cert = CertificateFactory(holder_name="李娜")
    other_code = cert.code[:-6] + "999999"
    wrong_name = by_code(client, cert.code, "李四")
    wrong_code = by_code(client, other_code, "李娜")
    assert wrong_name.status_code == wrong_code.status_code == 200
    assert result_section(wrong_name) == result_section(wrong_code)
    assert "未查到符合条件的证书" in result_section(wrong_name)
    assert cert.code not in result_section(wrong_name)


def test_lookup_by_id_number_and_name_lists_every_certificate_of_the_holder(client):
    number = id_number(33)
    first = CertificateFactory(holder_name="刘洋", id_number=number, level=4)
    second = CertificateFactory(holder_name="刘洋", id_number=number, level=3)
    CertificateFactory(holder_name="刘洋")  # a namesake with another ID number
    section = result_section(by_id(client, number.lower(), "刘洋"))
    assert first.code in section and second.code in section
    assert section.count('data-testid="lookup-certificate"') == 2


def test_lookup_by_id_number_with_a_wrong_name_is_the_same_not_found(client):
    number = id_number(34)
    CertificateFactory(holder_name="陈静", id_number=number)
    wrong_name = by_id(client, number, "陈晶")
    unknown_id = by_id(client, id_number(35), "陈静")
    assert result_section(wrong_name) == result_section(unknown_id)
    assert "未查到" in result_section(wrong_name)


def test_names_compare_without_spaces_and_with_any_middle_dot(client):
    cert = CertificateFactory(holder_name="买买提·艾力")
    assert lookup.find_by_code(cert.code, " 买买提•艾力 ") == cert
    assert lookup.find_by_code(cert.code.lower(), "买买提・艾力") == cert
    assert lookup.find_by_code(cert.code, "买买提艾力") is None
    assert lookup.find_by_code(cert.code, "") is None


def test_a_malformed_code_is_a_form_error_not_a_lookup(client):
    response = by_code(client, "S0000", "张伟")
    assert "证书编号应为 22 位" in response.content.decode()
    assert 'data-testid="lookup-result"' not in response.content.decode()
    assert LookupEvent.objects.get().outcome == LookupEvent.Outcome.INVALID


def test_revoked_certificates_are_found_and_marked_revoked(client):
    cert = CertificateFactory(revoked=True, holder_name="赵敏")
    section = result_section(by_code(client, cert.code, "赵敏"))
    assert "已撤销" in section and cert.revoked_on.strftime("%Y-%m-%d") in section
    assert cert.revoked_reason in section  # issue 21: the public lookup says why (it said only when)


def test_every_lookup_is_logged_with_a_hashed_address_and_never_the_id_number(client):
    cert = CertificateFactory(holder_name="杨磊")
    by_code(client, cert.code, "杨磊", REMOTE_ADDR="203.0.113.9")
    by_code(client, cert.code, "杨雷", REMOTE_ADDR="203.0.113.9")
    by_id(client, cert.id_number, "杨磊")
    events = list(LookupEvent.objects.order_by("id"))
    assert [(e.kind, e.outcome) for e in events] == [
        ("lookup", "found"),
        ("lookup", "not_found"),
        ("lookup", "found"),
    ]
    assert events[0].code == events[1].code == cert.code
    assert events[0].ip_hash == events[1].ip_hash and len(events[0].ip_hash) == 16
    assert "203.0.113.9" not in events[0].ip_hash
    stored = " ".join(f"{e.code} {e.ip_hash}" for e in events)
    assert cert.id_number not in stored


@pytest.mark.parametrize(("requests", "limited"), [(3, False), (4, True)])
def test_rate_limit_per_address_at_and_over_the_limit(client, settings, requests, limited):
    settings.CERTIFICATE_LOOKUP_RATE = "3/m"
    cert = CertificateFactory(holder_name="黄鑫")
    statuses = [by_code(client, cert.code, "黄鑫").status_code for _ in range(requests)]
    assert statuses[:3] == [200, 200, 200]
    if limited:
        last = by_code(client, cert.code, "黄鑫", REMOTE_ADDR="127.0.0.1")
        # a fourth and a fifth request from the same address: both refused
        assert statuses[3] == 429 and last.status_code == 429
        assert "请求过于频繁" in last.content.decode()
        assert LookupEvent.objects.filter(outcome=LookupEvent.Outcome.LIMITED).count() == 2
        # another address still has its own budget
        assert by_code(client, cert.code, "黄鑫", REMOTE_ADDR="198.51.100.7").status_code == 200


def test_the_form_page_itself_does_not_spend_the_budget(client, settings):
    settings.CERTIFICATE_LOOKUP_RATE = "1/m"
    for _ in range(5):
        assert client.get(URL).status_code == 200


def test_download_needs_the_full_id_number(client):
    cert = CertificateFactory(holder_name="张伟", id_number=id_number(41, birth="19880808"))
    url = reverse("certificates:lookup_download")
    wrong = client.post(url, {"code": cert.code, "name": "张伟", "id_number": id_number(42)})
    assert wrong.status_code == 200 and wrong["Content-Type"].startswith("text/html")
    assert "身份证号码与证书登记信息不符" in wrong.content.decode()
    masked_only = client.post(
        url,
        {
            "code": cert.code,
            "name": "张伟",
            "id_number": cert.id_number[:6] + "********" + cert.id_number[-4:],
        },
    )
    assert masked_only["Content-Type"].startswith("text/html")
    # issue 29 item 11a: a masked number is malformed, said so, and no wrong guess (logged invalid)
    assert "身份证号码应为 18 位（最后一位可以是 X）。" in masked_only.content.decode()
    right = client.post(url, {"code": cert.code, "name": "张伟", "id_number": cert.id_number})
    assert right.status_code == 200 and right["Content-Type"] == "application/pdf"
    assert right.content.startswith(b"%PDF")
    assert right["Content-Disposition"] == f'attachment; filename="{cert.code}.pdf"'
    outcomes = list(
        LookupEvent.objects.filter(kind="download").order_by("id").values_list("outcome", flat=True)
    )
    assert outcomes == ["not_found", "invalid", "found"]


def test_download_with_a_wrong_name_shows_nothing_of_the_certificate(client):
    cert = CertificateFactory(holder_name="张伟")
    response = client.post(
        reverse("certificates:lookup_download"),
        {"code": cert.code, "name": "张三", "id_number": cert.id_number},
    )
    assert cert.code not in result_section(response)
    assert "未查到符合条件的证书" in result_section(response)


def test_download_by_get_goes_back_to_the_lookup(client):
    response = client.get(reverse("certificates:lookup_download"), follow=True)
    assert response.redirect_chain == [(reverse("certificates:lookup"), 302)]
    assert "已为您打开相关页面" in response.content.decode()


def test_a_lookup_costs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    number = id_number(50)
    occupation = OccupationFactory(chef=True)
    for level in (5, 4, 3, 2):
        CertificateFactory(holder_name="周杰", id_number=number, level=level, occupation=occupation)
    with django_assert_max_num_queries(4):  # session-free: the select, the log insert (+ savepoints)
        response = by_id(client, number, "周杰")
    assert result_section(response).count('data-testid="lookup-certificate"') == 4


def test_status_values_are_the_models():
    assert {lookup.Outcome.VALID, lookup.Outcome.REVOKED} == {
        Certificate.Status.VALID,
        Certificate.Status.REVOKED,
    }


def test_rate_limit_on_the_shared_redis_cache(client, settings, redis_cache):
    """Production counts on Redis (several processes): one round trip per hit (portal.ratelimit)."""
    settings.CERTIFICATE_LOOKUP_RATE = "2/m"
    cert = CertificateFactory(holder_name="黄鑫")
    statuses = [by_code(client, cert.code, "黄鑫").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    key = redis_cache.keys(f"{redis_cache.key_prefix}:*rl:certificate_lookup*")
    assert len(key) == 1 and 0 < redis_cache.ttl(key[0]) <= 61


def test_buffered_log_lines_are_written_by_the_writer_thread(settings, transactional_db):
    import time

    from certificates import lookup_log

    settings.CERTIFICATE_LOOKUP_LOG_FLUSH_SECONDS = 0.05
    for _ in range(3):
        lookup.record(LookupEvent.Kind.VERIFY, LookupEvent.Outcome.VALID, "f" * 16, "S000012011001263000001")
    deadline = time.monotonic() + 5
    while LookupEvent.objects.count() < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert LookupEvent.objects.count() == 3
    lookup.record(LookupEvent.Kind.API, LookupEvent.Outcome.FOUND, "f" * 16)
    settings.CERTIFICATE_LOOKUP_LOG_FLUSH_SECONDS = 0
    lookup_log.flush()
    assert LookupEvent.objects.count() == 4


def test_the_verification_link_shown_uses_the_portal_public_address(client, settings):
    settings.PORTAL_PUBLIC_URL = "https://zs.example.org"
    cert = CertificateFactory(holder_name="王芳")
    section = result_section(by_code(client, cert.code, "王芳"))
    [href] = re.findall(r'<a href="([^"]+)" data-testid="verification-link"', section)
    assert href.startswith(f"https://zs.example.org/certificates/verify/{cert.code}/?s=")


def test_the_national_query_system_is_linked_in_a_new_tab(client):
    """Issue 29 item 11f: the ministry's national query was named, not linked; it is, on the form page
    and under an answer alike, opened in a new tab that gets no handle on this one."""
    cert = CertificateFactory(holder_name="黄鑫")
    link = re.compile(
        r'<a href="https://zscx\.osta\.org\.cn/" target="_blank" rel="noopener noreferrer">'
        r"技能人才评价证书全国联网查询系统</a>"
    )
    assert link.search(client.get(URL).content.decode())
    assert link.search(by_code(client, cert.code, "张三").content.decode())  # not found here: look there
