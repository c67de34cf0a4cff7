"""Two documents of one person (issue 43 item 3): a Hong Kong resident who later holds a resident ID, a
foreigner with a passport and a permanent residence ID. Centre staff link them (``link``) with the
ground they saw, and undo a link made in error (``unlink``, with a reason); a public lookup by either document then finds the certificates issued under both
(``documents_of``, read by lookup.find_by_document). The name still has to match each certificate, so a
link never shows a certificate to someone who does not know its holder's name."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from portal import audit, identifiers, roles

from .models import Certificate, DocumentLink

# How far links are followed from the document asked about (A-B, B-C: A finds C's certificates). A
# person has few documents; the bound keeps a lookup to a handful of queries whatever staff linked.
LINK_DEPTH = 3


class LinkRefused(ValueError):
    """A link that cannot be made as asked (the message says why, in Chinese)."""


Document = tuple[str, str]  # (DocumentKind value, normalised number)


def ordered(first: Document, second: Document) -> tuple[Document, Document]:
    """The pair in the order it is stored (each pair once, whichever side staff started from)."""
    return (first, second) if first <= second else (second, first)


def can_link(user) -> bool:
    return roles.has_role(user, roles.CENTRE)


def link(certificate: Certificate, other_kind, other_number: str, reason: str, actor) -> DocumentLink:
    """Links the document of ``certificate``'s holder to another document of the same person. Refused
    (LinkRefused) to anyone but centre staff, without a reason, for a number that fails its type's check,
    for the certificate's own document, and for a pair linked already."""
    if not can_link(actor):
        raise LinkRefused(_("只有市鉴定中心工作人员可以关联证件。"))
    reason = (reason or "").strip()
    if not reason:
        raise LinkRefused(_("请填写关联依据（例如核验过的证件原件）。"))
    try:
        kind = identifiers.document_kind(other_kind)
        number = identifiers.check_document(kind, other_number)
    except ValueError:
        raise LinkRefused(_("证件类型不正确。")) from None
    except ValidationError as error:
        raise LinkRefused(error.messages[0]) from None
    own = (certificate.document_kind, certificate.id_number)
    other = (kind.value, number)
    if own == other:
        raise LinkRefused(_("不能把证件与其自身关联。"))
    (a_kind, a_number), (b_kind, b_number) = ordered(own, other)
    try:
        with transaction.atomic():
            row = DocumentLink.objects.create(
                kind=a_kind,
                number=a_number,
                other_kind=b_kind,
                other_number=b_number,
                reason=reason,
                linked_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        raise LinkRefused(_("这两个证件已经关联。")) from None
    audit.record(
        "certificate_documents_linked",
        certificate,
        actor,
        comment=reason,
        other_kind=kind.value,
        other_number=identifiers.mask_document(kind, number),
    )
    return row


def links_of(certificate: Certificate):
    """The links that name the holder's own document (the ones staff may undo from its page), newest first."""
    kind, number = certificate.document_kind, certificate.id_number
    return DocumentLink.objects.filter(
        Q(kind=kind, number=number) | Q(other_kind=kind, other_number=number)
    ).select_related("linked_by")


def unlink(certificate: Certificate, row: DocumentLink, reason: str, actor) -> None:
    """Undoes a link made in error (issue 43 item 3): the row goes, and the certificate's audit trail
    records who undid it, why, and which document it was (masked), as it recorded the link. Refused
    (LinkRefused) to anyone but centre staff, without a reason, and for a link that does not name the
    certificate's own document."""
    if not can_link(actor):
        raise LinkRefused(_("只有市鉴定中心工作人员可以解除证件关联。"))
    reason = (reason or "").strip()
    if not reason:
        raise LinkRefused(_("请填写解除关联的理由。"))
    own = (certificate.document_kind, certificate.id_number)
    pair = ((row.kind, row.number), (row.other_kind, row.other_number))
    if own not in pair:
        raise LinkRefused(_("该关联不涉及本证书持证人的证件。"))
    other_kind, other_number = pair[1] if pair[0] == own else pair[0]
    with transaction.atomic():
        deleted, _rows = DocumentLink.objects.filter(pk=row.pk).delete()
        if not deleted:
            raise LinkRefused(_("该关联已被解除。"))
        audit.record(
            "certificate_documents_unlinked",
            certificate,
            actor,
            comment=reason,
            other_kind=other_kind,
            other_number=identifiers.mask_document(other_kind, other_number),
            linked_at=row.linked_at.isoformat(),
            linked_by=row.linked_by_id,
        )


def documents_of(kind, number: str) -> set[Document]:
    """The document and every document linked to it (links followed both ways, LINK_DEPTH steps)."""
    found = {(identifiers.document_kind(kind).value, number)}
    frontier = set(found)
    for _step in range(LINK_DEPTH):
        if not frontier:
            break
        query = Q()
        for doc_kind, doc_number in frontier:
            query |= Q(kind=doc_kind, number=doc_number) | Q(other_kind=doc_kind, other_number=doc_number)
        reached = set()
        for row in DocumentLink.objects.filter(query).only("kind", "number", "other_kind", "other_number"):
            reached |= {(row.kind, row.number), (row.other_kind, row.other_number)}
        frontier = reached - found
        found |= reached
    return found


def linked_to(certificate: Certificate) -> list[Document]:
    """The other documents linked to the holder's (for the staff page), ordered."""
    own = (certificate.document_kind, certificate.id_number)
    return sorted(documents_of(*own) - {own})
