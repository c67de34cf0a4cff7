"""The public 准考证 download (issue 44 item 2), no login: a candidate types document type, number and name
and gets their own admission tickets (every session still to come) as one PDF.

- Rate-limited per address like the public certificate lookup: the same rate (settings
  CERTIFICATE_LOOKUP_RATE, constants.TICKET_RATE_SETTING), a budget of its own (cache key prefix
  ``certification_ticket``); the Chinese 429 page past it. Every POST counts, valid or not.
- A wrong name and an unknown number get the same answer (NOT_FOUND, the same page and status): the page
  never tells whether a number is on some roster. A malformed number is refused before any lookup, by its
  type's rule (identifiers.check_document), which says nothing of anyone's record.
- Answers are private (no-store, noindex); CSRF applies (a POST from the page's form).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from portal import downloads, identifiers, ratelimit
from portal.pdf import pdf_only

from . import constants, tickets

RATE_KEY_PREFIX = "certification_ticket"


def ticket_rate() -> str:
    return getattr(settings, constants.TICKET_RATE_SETTING, constants.TICKET_RATE_DEFAULT)


def over_limit(request) -> bool:
    return ratelimit.request_hit(request, RATE_KEY_PREFIX, ticket_rate())


def not_found_message() -> str:
    """The one answer for a wrong name and for a number no roster holds."""
    return _(
        "未查到准考证。请核对证件类型、证件号码和姓名是否与报名时登记的一致；仍有疑问的，请联系报名的评价机构。"
    )


def private(response):
    """An answer about a person: not cached by proxies, not indexed by search engines."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class TicketForm(forms.Form):
    document_kind = forms.ChoiceField(
        label=gettext_lazy("证件类型"),
        choices=identifiers.DocumentKind.choices,
        initial=identifiers.DocumentKind.RESIDENT_ID,
    )
    id_number = forms.CharField(
        label=gettext_lazy("证件号码"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)

    def clean(self):
        cleaned = super().clean()
        if "document_kind" in cleaned and "id_number" in cleaned:
            try:
                cleaned["id_number"] = identifiers.check_document(
                    cleaned["document_kind"], cleaned["id_number"]
                )
            except forms.ValidationError as error:
                self.add_error("id_number", error.messages[0])
        return cleaned


def page(request, form, status=200):
    return private(
        render(
            request,
            "certification/ticket_lookup.html",
            {"form": form, "breadcrumbs": [(_("准考证下载"), None)]},
            status=status,
        )
    )


@require_http_methods(["GET", "POST"])
def ticket_lookup(request):
    if request.method == "GET":
        return page(request, TicketForm())
    form = TicketForm(request.POST)
    if over_limit(request):
        return private(ratelimit.too_many(request, ticket_rate()))
    if not form.is_valid():
        return page(request, form)
    data = form.cleaned_data
    seats = tickets.find_seats(data["document_kind"], data["id_number"], data["name"])
    if seats is None:
        form.add_error(None, not_found_message())
        return page(request, form)
    if not seats:
        form.add_error(
            None, _("您报名的认定尚未安排考场座位，或考试已经结束。考场座位分配后即可下载准考证。")
        )
        return page(request, form)
    with pdf_only():  # the PDF alone is sent: no HTML kept
        pdf, _html = tickets.render(seats)
    return private(downloads.attachment(pdf, "admission-ticket.pdf", downloads.PDF))
