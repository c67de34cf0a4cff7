"""Factories of certificates: photos, candidates, certificates and batches (occupations and ID numbers
from tests.portal.factories, importable from here too)."""

import datetime
import io

import factory
from django.utils import timezone

from certificates.constants import NO_WORK_TYPE
from certificates.issuance import IssuableCandidate, create_batch
from certificates.models import Certificate
from tests.portal.factories import InstitutionFactory, OccupationFactory, id_number

DEMO_PREFIX = ("S", "0000", "12", "011001")
ISSUE_DATE = datetime.date(2026, 5, 12)


def photo_bytes(kind: str = "JPEG", size=(413, 579), transparent=False, background=None) -> bytes:
    """A portrait: a grey head and shoulders on white, by default the 2-inch size at 300 dpi (413×579, which
    passes certification.photo_check); ``background`` another colour (an RGB tuple) behind it."""
    from PIL import Image, ImageDraw

    mode = "RGBA" if transparent else "RGB"
    background = (0, 0, 0, 0) if transparent else (background or "white")
    image = Image.new(mode, size, background)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w * 0.3, h * 0.15, w * 0.7, h * 0.55), fill=(90, 90, 110))
    draw.rectangle((w * 0.15, h * 0.6, w * 0.85, h), fill=(40, 60, 120))
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def candidate(n: int, occupation, level: int = 3, **overrides) -> IssuableCandidate:
    values = dict(
        source_key=f"test.candidate:{n}",
        name=["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄鑫"][n % 8],
        sex="男" if n % 2 else "女",
        id_number=id_number(n),
        occupation=occupation,
        level=level,
        photo=photo_bytes(),
        verified_passing=True,
        work_type="",
    )
    values.update(overrides)
    return IssuableCandidate(**values)


def batch(institution=None, candidates=(), scope=None, actor=None, prefix=DEMO_PREFIX, start=False, **kwargs):
    """A batch through the public entry point (start=False: the test decides when it runs)."""
    institution = institution or InstitutionFactory()
    candidates = list(candidates)
    kwargs.setdefault("issue_date", ISSUE_DATE)  # tests never depend on today's date
    if scope is None:
        scope = {(c.occupation.code, c.level) for c in candidates if c.occupation is not None}
    return create_batch(
        institution,
        prefix,
        kwargs.pop("institution_name", institution.name),
        candidates,
        actor,
        scope=scope,
        start=start,
        **kwargs,
    )


class CertificateFactory(factory.django.DjangoModelFactory):
    """A certificate as stored (codes from a sequence, not the allocator)."""

    class Meta:
        model = Certificate

    serial = factory.Sequence(lambda n: n + 1)
    year = 2026
    level = 3
    code = factory.LazyAttribute(lambda c: f"S00001201100126{c.level}{c.serial:06d}")
    holder_name = "张伟"
    sex = "M"
    id_number = factory.Sequence(id_number)
    occupation = factory.SubFactory(OccupationFactory, chef=True)
    occupation_name = factory.LazyAttribute(lambda c: c.occupation.name)
    occupation_code = factory.LazyAttribute(lambda c: c.occupation.code)
    work_type = NO_WORK_TYPE
    institution = factory.SubFactory(InstitutionFactory)
    institution_name = factory.LazyAttribute(lambda c: c.institution.name)
    issue_date = ISSUE_DATE
    photo = factory.django.FileField(filename="p.jpg", data=factory.LazyFunction(photo_bytes))
    source_key = factory.Sequence(lambda n: f"test.certificate:{n}")

    class Params:
        revoked = factory.Trait(
            status=Certificate.Status.REVOKED,
            revoked_reason="弄虚作假",
            revoked_on=factory.LazyFunction(timezone.localdate),
        )
