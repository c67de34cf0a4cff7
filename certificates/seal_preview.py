"""A certificate's sample sheet printed with a given seal (issue 39 item 2): the institution and the centre
see where and how the seal lands over 评价机构（印章） before it is used. The sheet is marked 样张, carries a
placeholder photo and is not signed: it is no certificate."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation

from filings.models import Seal, SealOwner
from portal.pdf import render_pdf

from .constants import NO_WORK_TYPE, PHOTO_PIXELS, QUALIFICATION_ISSUER_NAME
from .models import Certificate
from .printing import document_context, template_for

SAMPLE_PHOTO = "certificates/preview/sample-photo.jpg"
SAMPLE_CODE = "S000012000000263000000"  # 22 characters, sequence 000000: never a filed institution's


def sample_photo() -> str:
    """A grey silhouette on white, stored once."""
    if not default_storage.exists(SAMPLE_PHOTO):
        from PIL import Image, ImageDraw

        image = Image.new("RGB", PHOTO_PIXELS, "white")
        draw = ImageDraw.Draw(image)
        w, h = PHOTO_PIXELS
        draw.ellipse((w * 0.3, h * 0.15, w * 0.7, h * 0.55), fill=(170, 170, 180))
        draw.rectangle((w * 0.15, h * 0.6, w * 0.85, h), fill=(150, 160, 190))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
        default_storage.save(SAMPLE_PHOTO, ContentFile(out.getvalue()))
    return SAMPLE_PHOTO


def preview_pdf(seal: Seal) -> bytes:
    """The sample sheet: a 职业资格证书 for the bureau's seal, else a 职业技能等级证书."""
    qualification = seal.owner == SealOwner.BUREAU
    name = seal.institution.name if seal.institution_id else QUALIFICATION_ISSUER_NAME
    certificate = Certificate(
        kind=Certificate.Kind.QUALIFICATION if qualification else Certificate.Kind.GRADE,
        code=SAMPLE_CODE,
        serial=0,
        year=timezone.localdate().year,
        level=3,
        holder_name="样张",
        sex="M",
        id_number="000000000000000000",
        occupation_name="（样张）",
        occupation_code="0-00-00-00",
        work_type=NO_WORK_TYPE,
        institution_name=name,
        issue_date=timezone.localdate(),
    )
    certificate.photo.name = sample_photo()
    certificate.seal.name = seal.image.name
    with translation.override("zh-hans"):
        pdf, _html = render_pdf(
            template_for([certificate]), {**document_context([certificate]), "sample": True}
        )
    return pdf
