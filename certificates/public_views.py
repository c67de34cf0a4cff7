"""Public pages of certificates, no login: lookup (seed 001 第八条; seed 004 四(四)2, free of charge),
QR verification, e-certificate download and the About page with the public key.

Thin views: the rules live in lookup.py and signing.py. Every lookup, verification and download counts
against one per-IP rate limit (settings.CERTIFICATE_LOOKUP_RATE, the Chinese 429 page) and is logged."""

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import downloads, identifiers, ratelimit
from portal.fastlane import fast_lane
from portal.middleware import preset_header, put_header

from . import constants, lookup, offline, signing, verify_page
from .lookup import Kind, Outcome
from .models import Certificate
from .urls_for import verification_url


def lookup_rate() -> str:
    return getattr(settings, constants.LOOKUP_RATE_SETTING, constants.LOOKUP_RATE_DEFAULT)


def over_limit(request) -> bool:
    """One budget per address for every public certificate endpoint (pages and API), counted once a
    request (ratelimit.request_hit: the fast lane may run a view twice on one request)."""
    return ratelimit.request_hit(request, "certificate_lookup", lookup_rate())


def log(request, kind: str, outcome: str, code: str = "") -> None:
    lookup.record(kind, outcome, ratelimit.hashed_ip(request), code)


def too_many(request, kind: str, code: str = "") -> HttpResponse:
    log(request, kind, Outcome.LIMITED, code)
    return ratelimit.too_many(request, lookup_rate())


def guesses_spent_message() -> str:
    return _(
        "近 %(hours)s 小时内该持证人的身份证号码核对错误次数过多，为保护持证人信息，暂停核对身份证号码，"
        "请 %(hours)s 小时后再试。按证书编号和姓名查询不受影响；急需电子证书的，请本人携带身份证件联系发证的评价机构。"
    ) % {"hours": constants.GUESS_WINDOW_SECONDS // 3600}


def number_mismatch_message(certificate) -> str:
    if certificate.document_kind == identifiers.DocumentKind.RESIDENT_ID:
        return _("身份证号码与证书登记信息不符，无法下载。")
    return _("证件号码与证书登记信息不符，无法下载。")


_NO_STORE = preset_header("Cache-Control", "no-store")
_NOINDEX = preset_header("X-Robots-Tag", "noindex, nofollow")


def private(response: HttpResponse) -> HttpResponse:
    """Answers about a person: not cached by proxies, not indexed by search engines."""
    put_header(response, _NO_STORE)
    put_header(response, _NOINDEX)
    return response


# --- Forms -------------------------------------------------------------------------------------------


class CodeLookupForm(forms.Form):
    """The lookup page shows both forms: each has ids of its own (``code_name``, ``idno_name``), so each
    label names its own field (issue 40); the field names, which the lookup reads, stay the same."""

    by = forms.CharField(widget=forms.HiddenInput, initial="code")
    code = forms.CharField(
        label=gettext_lazy("证书编号"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "S000012011001263000001"}),
    )
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "code_%s")
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = lookup.normalize_code(self.cleaned_data["code"])
        if not lookup.CODE_PATTERN.match(code):
            raise forms.ValidationError(_("证书编号应为 22 位：1 位大写字母加 21 位数字。"))
        return code


class IdLookupForm(forms.Form):
    """By document: its type (居民身份证 when the field is missing or blank, so the forms and links made
    before document types still work; issue 43), its number and the holder's name."""

    by = forms.CharField(widget=forms.HiddenInput, initial="id")
    document_kind = forms.ChoiceField(
        label=gettext_lazy("证件类型"),
        choices=identifiers.DocumentKind.choices,
        initial=identifiers.DocumentKind.RESIDENT_ID,
        required=False,
    )
    id_number = forms.CharField(
        label=gettext_lazy("证件号码"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "idno_%s")
        super().__init__(*args, **kwargs)

    def clean_document_kind(self):
        return self.cleaned_data.get("document_kind") or identifiers.DocumentKind.RESIDENT_ID

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("document_kind") or identifiers.DocumentKind.RESIDENT_ID
        if "id_number" in cleaned:
            problem = document_problem(kind, cleaned["id_number"])
            if problem:
                self.add_error("id_number", problem)
            else:
                cleaned["id_number"] = identifiers.normalize_document(kind, cleaned["id_number"])
        return cleaned


def id_number_problem(value: str) -> str:
    """What is wrong with an ID number that no certificate can hold (length, check digit, region or
    birth date), or "". Answered before any lookup: it is no wrong guess of the person's or the
    certificate's (issue 29 item 11a), and says nothing of anyone's record."""
    value = identifiers.normalize_id_number(value)
    if not lookup.ID_PATTERN.match(value):
        return _("身份证号码应为 18 位（最后一位可以是 X）。")
    try:
        identifiers.validate_id_number(value)
    except forms.ValidationError as error:
        if error.code == "id_checksum":
            return _("身份证号码格式不正确（校验位不符），请核对后重新输入。")
        return error.messages[0]
    return ""


def document_problem(kind, value: str) -> str:
    """What is wrong with a number that no certificate of this document type can hold, or "" (the type's
    check, identifiers.check_document: its message names the type). Like id_number_problem, answered
    before any lookup and about nobody's record."""
    kind = identifiers.document_kind(kind)
    if kind == identifiers.DocumentKind.RESIDENT_ID:
        return id_number_problem(value)
    try:
        identifiers.check_document(kind, value)
    except forms.ValidationError as error:
        return error.messages[0]
    return ""


class DownloadForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    name = forms.CharField(widget=forms.HiddenInput, max_length=50)
    id_number = forms.CharField(
        label=gettext_lazy("完整证件号码"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("下载电子证书需要输入持证人的完整证件号码（与证书所载证件一致）。"),
    )

    def __init__(self, *args, **kwargs):
        # One form a certificate found, its hidden fields on the same page: no ids (the template gives
        # the visible field an id of its own, id_dl_<n>; issue 40).
        kwargs.setdefault("auto_id", False)
        super().__init__(*args, **kwargs)


# --- Lookup ------------------------------------------------------------------------------------------


def result_entry(certificate, download_form=None, download_error=""):
    """What the result page shows for one certificate: public fields, the verification link and QR,
    and the download form."""
    from .printing import qr_data_uri

    url = verification_url(certificate)
    revoked = not certificate.is_valid
    return {
        "public": lookup.PublicCertificate.of(certificate),
        "verification_url": url,
        "qr": qr_data_uri(offline.qr_text(certificate)),
        # Issue 21: a revoked certificate shows when and why it was revoked, and no download form.
        "revoked_reason": certificate.revoked_reason if revoked else "",
        "download_form": None
        if revoked
        else download_form
        or DownloadForm(initial={"code": certificate.code, "name": certificate.holder_name}),
        "download_error": download_error,
    }


def lookup_page(request, *, code_form=None, id_form=None, results=None, searched=False, status=200):
    return private(
        render(
            request,
            "certificates/public/lookup.html",
            {
                "code_form": code_form or CodeLookupForm(initial={"by": "code"}),
                "id_form": id_form or IdLookupForm(initial={"by": "id"}),
                "active": "id" if id_form is not None and id_form.is_bound else "code",
                "results": results or [],
                "searched": searched,
                "breadcrumbs": [(_("证书查询"), None)],
                "national_query_url": constants.NATIONAL_QUERY_URL,
            },
            status=status,
        )
    )


@require_http_methods(["GET", "POST"])
def lookup_view(request):
    if request.method == "GET":
        return lookup_page(request)
    by_id = request.POST.get("by") == "id"
    form = IdLookupForm(request.POST) if by_id else CodeLookupForm(request.POST)
    forms_kwargs = {"id_form": form} if by_id else {"code_form": form}
    if over_limit(request):
        return too_many(request, Kind.LOOKUP, request.POST.get("code", ""))
    if not form.is_valid():
        log(request, Kind.LOOKUP, Outcome.INVALID)
        return lookup_page(request, **forms_kwargs)
    data = form.cleaned_data
    if by_id:
        try:
            certificates = lookup.find_by_document(data["document_kind"], data["id_number"], data["name"])
        except lookup.GuessesSpent:
            log(request, Kind.LOOKUP, Outcome.LIMITED)
            form.add_error(None, guesses_spent_message())
            return lookup_page(request, status=429, **forms_kwargs)
        code = certificates[0].code if len(certificates) == 1 else ""
    else:
        found = lookup.find_by_code(data["code"], data["name"])
        certificates = [found] if found else []
        code = data["code"]
    log(request, Kind.LOOKUP, Outcome.FOUND if certificates else Outcome.NOT_FOUND, code)
    return lookup_page(
        request, results=[result_entry(c) for c in certificates], searched=True, **forms_kwargs
    )


@require_POST
def download(request):
    """The e-certificate PDF (PAdES-signed), for whoever knows code, name and the full ID number; never
    of a revoked certificate (410: the lookup page with the revocation date and reason)."""
    form = DownloadForm(request.POST)
    code = request.POST.get("code", "")
    if over_limit(request):
        return too_many(request, Kind.DOWNLOAD, code)
    if not form.is_valid():
        log(request, Kind.DOWNLOAD, Outcome.INVALID, code)
        return lookup_page(request, searched=True)
    data = form.cleaned_data
    # the number is checked by the type of the certificate that code and name found (issue 43)
    shown = lookup.find_by_code(data["code"], data["name"])
    kind = shown.document_kind if shown is not None else identifiers.DocumentKind.RESIDENT_ID
    malformed = document_problem(kind, data["id_number"])
    if malformed and shown is not None and shown.is_valid:  # a revoked one says so below, whatever was typed
        log(request, Kind.DOWNLOAD, Outcome.INVALID, shown.code)
        return lookup_page(
            request,
            results=[result_entry(shown, download_form=form, download_error=malformed)],
            searched=True,
        )
    try:
        certificate = lookup.find_for_download(data["code"], data["name"], data["id_number"])
    except lookup.GuessesSpent as refusal:
        # Issue 30, finding 4: too many wrong ID numbers for this certificate or its holder, from
        # anywhere: nothing is compared until the window ends.
        log(request, Kind.DOWNLOAD, Outcome.LIMITED, refusal.certificate.code)
        entry = result_entry(refusal.certificate, download_error=guesses_spent_message())
        return lookup_page(request, results=[entry], searched=True, status=429)
    except lookup.CertificateRevoked as refusal:
        # Issue 21: never a PDF of a revoked certificate; the page says when and why it was revoked.
        log(request, Kind.DOWNLOAD, Outcome.REVOKED, refusal.certificate.code)
        entry = result_entry(refusal.certificate, download_error=_("已撤销的证书不能下载电子证书。"))
        return lookup_page(request, results=[entry], searched=True, status=410)
    if certificate is None:
        log(request, Kind.DOWNLOAD, Outcome.NOT_FOUND, code)
        # Show the looked-up certificate again (code and name were right) or the plain not-found.
        shown = lookup.find_by_code(data["code"], data["name"])
        results = (
            [result_entry(shown, download_form=form, download_error=number_mismatch_message(shown))]
            if shown
            else []
        )
        return lookup_page(request, results=results, searched=True)
    log(request, Kind.DOWNLOAD, Outcome.FOUND, certificate.code)
    from .printing import render_certificates

    pdf, _html = render_certificates([certificate])
    return private(downloads.attachment(pdf, f"{certificate.code}.pdf", downloads.PDF))


# --- QR verification ---------------------------------------------------------------------------------


@require_GET
@fast_lane
def verify(request, code):
    """What the QR code opens: valid, revoked (with date) or "does not match the record".
    Served on the fast lane (portal/fastlane.py): no session, user or CSRF token here."""
    if over_limit(request):
        log(request, Kind.VERIFY, Outcome.LIMITED, code)
        wait = ratelimit.seconds_left(lookup_rate())
        html = render_to_string(
            "certificates/public/429.html",
            {"links": verify_page.standalone_links(get_script_prefix()), "wait": ratelimit.wait_text(wait)},
        )
        response = private(HttpResponse(html, status=429))
        response["Retry-After"] = str(wait)
        return response
    # The language LanguageMiddleware activated, passed on: two get_language() calls fewer (issue 42
    # item 1; each through asgiref's Local). None without the middleware: then they read it themselves.
    language = getattr(request, "LANGUAGE_CODE", None)
    result = lookup.verify(code, request.GET.get("s", ""), language=language)
    log(request, Kind.VERIFY, result.outcome, code)
    # Rendered without the request (no context processors, session or CSRF token on this busy page),
    # from a skeleton kept per language and outcome (verify_page.py).
    page = verify_page.render(result, language)
    return private(HttpResponse(page, status=200 if result.matches else 404))


# --- About -------------------------------------------------------------------------------------------


@require_GET
def about(request):
    from . import pdf_signing

    pdf_certificate = pdf_signing.signing_certificate()
    return render(
        request,
        "certificates/public/about.html",
        {
            "key_b64": signing.public_key_b64(),
            "key_pem": signing.public_key_pem(),
            "key_id": signing.key_id(),
            "development_key": signing.is_development_key(),
            "previous_keys": getattr(settings, "CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEYS", []) or [],
            # In order, each by its name on the certificate beside the key a verifier reads (issue 29 item 8).
            "signed_fields": [
                (name, Certificate._meta.get_field(name).verbose_name) for name in signing.SIGNED_FIELDS
            ],
            "canonical_version": signing.CANONICAL_VERSION,
            "pdf_subject": pdf_certificate.subject.rfc4514_string(),
            "pdf_fingerprint": pdf_signing.public_key_fingerprint(),
            "pdf_self_signed": pdf_signing.is_self_signed(),
            "rate": getattr(settings, constants.LOOKUP_RATE_SETTING, constants.LOOKUP_RATE_DEFAULT),
            "national_lookup_url": constants.NATIONAL_LOOKUP_URL,
            "breadcrumbs": [(_("证书查询"), reverse("certificates:lookup")), (_("关于证书核验"), None)],
        },
    )
