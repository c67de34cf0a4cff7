"""Seals (issue 39 item 2): an institution's official seal is a change the centre approves; the centre's and
the bureau's are put in by the admin. Every image is checked by its content before it is kept.

The notices give no rule for a seal's image; the limits below are the portal's, chosen so that a scan of a
round (or oval) red seal on a transparent background prints crisply at 40 mm (the certificate's seal box,
certificates/templates/certificates/certificate_pdf.html) and nothing else passes for one."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from portal import audit, errors, roles, transitions
from portal.models import User
from portal.uploads import load_whole_image, random_name, sniff, stored_files

from .models import Seal, SealOwner, SealState

SEAL_MAX_BYTES = 2 * 1024 * 1024  # a seal scan at 600 dpi is far smaller
SEAL_MIN_SIDE = 300  # pixels: 40 mm printed at about 190 dpi, the least that prints the seal's text legibly
SEAL_MAX_SIDE = 2000  # pixels: 40 mm at 1,270 dpi; more is a photo of a page, not a seal
SEAL_ASPECT_MIN, SEAL_ASPECT_MAX = 0.75, 4 / 3  # width / height: round seals, and the oval ones (4:3)
SEAL_TRANSPARENT_ALPHA = 16  # a pixel below this opacity is background
SEAL_VISIBLE_ALPHA = 128  # a pixel at or above it is ink
SEAL_TRANSPARENT_MIN_SHARE = 0.30  # a round seal leaves at least its corners (21 %) and its centre bare
SEAL_RED_MIN_SHARE = 0.80  # of the ink, the share that is red (the rest: anti-aliased edges, scan noise)
SEAL_RED_MIN = 140  # red: R at least this, and at least SEAL_RED_MARGIN above G and above B
SEAL_RED_MARGIN = 60
SEAL_SAMPLE_SIDE = 200  # the check reads the image scaled down to at most this many pixels a side


class SealRefused(errors.PortalError):
    """An image that is not a usable seal; the message says what to fix."""


def check_image(data: bytes) -> tuple[int, int]:
    """(width, height) of a usable seal PNG, or SealRefused saying what to fix."""
    from PIL import Image

    if len(data) > SEAL_MAX_BYTES:
        raise SealRefused(_("印章图片不得超过 %(mb)s MB。") % {"mb": SEAL_MAX_BYTES // (1024 * 1024)})
    if sniff(data[:16]) != "png":
        raise SealRefused(_("印章须为透明背景的 PNG 图片（当前文件不是 PNG 图片）。"))
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size  # from the header, before any pixel is read
    except Image.DecompressionBombError:  # a header claiming a giant image
        raise SealRefused(
            _("印章图片过大：宽和高均不得超过 %(max)s 像素。") % {"max": SEAL_MAX_SIDE}
        ) from None
    except (OSError, ValueError):
        raise SealRefused(_("印章图片已损坏或不完整，请重新导出 PNG 后上传。")) from None
    if width > SEAL_MAX_SIDE or height > SEAL_MAX_SIDE:
        raise SealRefused(
            _("印章图片过大：%(w)s×%(h)s 像素，宽和高均不得超过 %(max)s 像素。")
            % {"w": width, "h": height, "max": SEAL_MAX_SIDE}
        )
    if width < SEAL_MIN_SIDE or height < SEAL_MIN_SIDE:
        raise SealRefused(
            _("印章图片过小：%(w)s×%(h)s 像素，宽和高均须至少 %(min)s 像素，请提高扫描分辨率。")
            % {"w": width, "h": height, "min": SEAL_MIN_SIDE}
        )
    if not SEAL_ASPECT_MIN <= width / height <= SEAL_ASPECT_MAX:
        raise SealRefused(
            _("印章图片比例不符：%(w)s×%(h)s 像素。请只保留印章本身（圆形或椭圆形），裁去四周空白。")
            % {"w": width, "h": height}
        )
    try:
        load_whole_image(image)  # a truncated file is refused even when WeasyPrint let Pillow pad it
    except (OSError, ValueError, Image.DecompressionBombError):
        raise SealRefused(_("印章图片已损坏或不完整，请重新导出 PNG 后上传。")) from None
    if "A" not in image.getbands() and "transparency" not in image.info:
        raise SealRefused(_("印章图片背景须为透明：请导出带透明通道的 PNG（不要白色或其他底色）。"))
    sample = image.convert("RGBA")
    sample.thumbnail((SEAL_SAMPLE_SIDE, SEAL_SAMPLE_SIDE))
    pixels = list(sample.getdata())
    w, h = sample.size
    corners = [pixels[0], pixels[w - 1], pixels[(h - 1) * w], pixels[-1]]
    transparent = sum(1 for p in pixels if p[3] < SEAL_TRANSPARENT_ALPHA)
    if any(p[3] >= SEAL_TRANSPARENT_ALPHA for p in corners) or transparent < SEAL_TRANSPARENT_MIN_SHARE * len(
        pixels
    ):
        raise SealRefused(_("印章图片背景须为透明：四角和印章以外的部分不能有底色。"))
    ink = [p for p in pixels if p[3] >= SEAL_VISIBLE_ALPHA]
    red = sum(
        1
        for r, g, b, _a in ink
        if r >= SEAL_RED_MIN and r - g >= SEAL_RED_MARGIN and r - b >= SEAL_RED_MARGIN
    )
    if not ink or red < SEAL_RED_MIN_SHARE * len(ink):
        share = round(100 * red / len(ink)) if ink else 0
        raise SealRefused(
            _("印章须为红色：图中红色只占印章部分的 %(share)s%%（至少 %(min)s%%）。请上传红色印章的扫描件。")
            % {"share": share, "min": round(100 * SEAL_RED_MIN_SHARE)}
        )
    return width, height


def _read(upload) -> bytes:
    upload.seek(0)
    data = upload.read(SEAL_MAX_BYTES + 1)
    upload.seek(0)
    return data


def _new(owner: str, institution, upload, actor, reason: str, state: str) -> Seal:
    data = _read(upload)
    width, height = check_image(data)
    with stored_files() as files:
        # An office seal put in by the admin is created in use (no change to decide: nothing is fired).
        seal = Seal(
            owner=owner, institution=institution, width=width, height=height, reason=reason, state=state
        )
        seal.requested_by = actor if getattr(actor, "is_authenticated", False) else None
        files.save_field(seal.image, random_name("seals", "png").rsplit("/", 1)[-1], ContentFile(data))
        seal.save()
    return seal


def request_change(institution, upload, actor, reason: str = "") -> Seal:
    """The institution's user asks to use a new seal; the centre decides (approve / refuse)."""
    if (
        institution is None
        or actor.institution_id != institution.pk
        or not roles.has_role(actor, roles.APPLICANT)
    ):
        raise errors.NotPermitted(_("只有本机构的申报账户可以申请变更印章。"))
    reason = errors.require_text(reason, _("请填写变更印章的理由（如：首次启用、印章更换）。"))
    if Seal.objects.filter(
        owner=SealOwner.INSTITUTION, institution=institution, state=SealState.SUBMITTED
    ).exists():
        raise errors.PortalError(_("已有一份印章申请待审核，请等待审核结果后再申请。"))
    seal = _new(SealOwner.INSTITUTION, institution, upload, actor, reason, SealState.SUBMITTED)
    audit.record("seal_change_requested", seal, actor, comment=reason)
    for user in User.objects.filter(groups__name=roles.CENTRE, is_active=True):
        audit.notify(
            user,
            _("%(name)s 申请变更证书印章，待审核。") % {"name": institution.name},
            "/filings/seals/queue/",
        )
    return seal


def _tell_institution(seal: Seal, text: str) -> None:
    for user in User.objects.filter(institution_id=seal.institution_id, is_active=True):
        audit.notify(user, text, "/filings/seal/")


def approve(seal: Seal, actor, comment: str = "") -> Seal:
    """The centre approves: from now on the institution's certificates print this seal."""

    def decided(obj):
        obj.decided_by = actor
        obj.decision_comment = comment

    transitions.fire(
        seal, transitions.Step("approve", "seal_change_approved"), actor, comment=comment, before_save=decided
    )
    _tell_institution(seal, _("证书印章变更已审核通过，此后签发的证书使用新印章。"))
    return seal


def refuse(seal: Seal, actor, reason: str) -> Seal:
    reason = errors.require_text(reason, _("不予启用印章必须填写理由。"))

    def decided(obj):
        obj.decided_by = actor
        obj.decision_comment = reason

    transitions.fire(
        seal, transitions.Step("refuse", "seal_change_refused"), actor, comment=reason, before_save=decided
    )
    _tell_institution(seal, _("证书印章变更未通过：%(reason)s") % {"reason": reason})
    return seal


def install_office_seal(owner: str, upload, actor) -> Seal:
    """The centre's or the bureau's seal, put in by the admin (a superuser): in use at once, audited."""
    if owner not in (SealOwner.CENTRE, SealOwner.BUREAU):
        raise errors.PortalError(_("只能为市职业技能鉴定指导中心或市人力资源和社会保障局设置机关印章。"))
    if not getattr(actor, "is_superuser", False):
        raise errors.NotPermitted(_("只有系统管理员可以设置机关印章。"))
    seal = _new(owner, None, upload, actor, "", SealState.APPROVED)
    audit.record("office_seal_installed", seal, actor, owner=owner)
    return seal


def current(institution) -> Seal | None:
    """The institution's seal in use: its latest approved one."""
    if institution is None:
        return None
    return (
        Seal.objects.filter(owner=SealOwner.INSTITUTION, institution=institution, state=SealState.APPROVED)
        .order_by("-decided_at", "-pk")
        .first()
    )


def office(owner: str) -> Seal | None:
    """The centre's or the bureau's seal in use (the latest put in)."""
    return Seal.objects.filter(owner=owner, state=SealState.APPROVED).order_by("-requested_at", "-pk").first()


def may_see(user, seal: Seal) -> bool:
    """The centre and the bureau see every seal; an institution's users its own."""
    if roles.has_role(user, roles.CENTRE, roles.BUREAU):
        return True
    return (
        seal.owner == SealOwner.INSTITUTION
        and bool(getattr(user, "institution_id", None))
        and user.institution_id == seal.institution_id
    )


def pending():
    return Seal.objects.filter(owner=SealOwner.INSTITUTION, state=SealState.SUBMITTED).select_related(
        "institution"
    )
