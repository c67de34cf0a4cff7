"""Validation and display of national identifiers, on top of python-stdnum.

- Unified social credit code (统一社会信用代码, GB 32100): ``stdnum.cn.uscc``.
- Resident ID number (居民身份证号码, GB 11643): ``stdnum.cn.ric``.
- Organisation code (组织机构代码, GB 11714-1997), which python-stdnum does not cover: 8 characters and a
  check character, ``validate_organisation_code`` below. A 技工院校 that has no credit code yet files with
  it (《关于开展技工院校职业技能等级认定工作的通知》（辽人社〔2020〕32号）附件1: 统一社会信用代码/组织机构代码).

Typed text is normalised here, in one place: :func:`normalize_text` applies NFKC (full-width letters,
digits and spaces of Chinese phone keyboards, U+3000 included, become their ASCII forms) and trims;
ID numbers, certificate codes and names build on it. Used by the public lookup page, the API, the QR
verification and the roster and score imports.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc


def normalize_text(value) -> str:
    """NFKC, without whitespace (U+3000 too) at either end: "\u3000ＡＢ１２ " -> "AB12"."""
    return unicodedata.normalize("NFKC", value or "").strip()


def _compact(value) -> str:
    """NFKC, without any whitespace, upper case: what identifiers typed in groups compare as."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def normalize_certificate_code(value: str) -> str:
    """A 22-character certificate code as typed (full-width, lower case, in groups): "ｓ０００ ０１２…" ->
    "S000012…". Called once per lookup, verification and API call (cheap: about 0.15 us)."""
    return _compact(value)


# Whitespace between two Han characters is padding ("王　五", aligned with three-character names), not
# part of the name; between Latin letters it separates words and stays (as one space).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_PADDING = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}])")


def normalize_name(value: str) -> str:
    """A person's name as stored: NFKC, trimmed, no padding between Han characters, one space between
    words ("\u3000王　五 " -> "王五", "JOHN  SMITH" -> "JOHN SMITH")."""
    text = normalize_text(value)
    if not text:
        return text
    return " ".join(_PADDING.sub("", text).split())


def normalize_credit_code(value: str) -> str:
    return uscc.compact(value or "").upper()


def _stdnum_validate(module, value: str, *, length, checksum, other) -> None:
    """Validates ``value`` with the python-stdnum ``module``; its length, checksum and other errors
    become a ValidationError with the (message, code) given for each."""
    try:
        module.validate(value)
    except stdnum_errors.InvalidLength:
        message, code = length
    except stdnum_errors.InvalidChecksum:
        message, code = checksum
    except stdnum_errors.ValidationError:
        message, code = other
    else:
        return
    raise ValidationError(message, code=code)


def validate_credit_code(value: str) -> None:
    _stdnum_validate(
        uscc,
        normalize_credit_code(value),
        length=(_("统一社会信用代码应为 18 位。"), "credit_code_length"),
        checksum=(_("统一社会信用代码校验位不正确，请核对后重新输入。"), "credit_code_checksum"),
        other=(
            _("统一社会信用代码格式不正确（只能包含数字和除 I、O、Z、S、V 以外的大写字母）。"),
            "credit_code_format",
        ),
    )


# GB 11714-1997 全国组织机构代码编制规则 4.2: the 8 body characters (digits, capital letters) weighted 3, 7, 9,
# 10, 5, 8, 4, 2 (a digit counts its value, a letter 10 for A to 35 for Z); C9 = 11 - (sum mod 11), written
# "X" for 10 and "0" for 11.
ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORGANISATION_CODE_LENGTH = 9
_ORGANISATION_BODY = re.compile(r"^[0-9A-Z]{8}$")


def normalize_organisation_code(value: str) -> str:
    """As typed ("ｄ２１４３５６９－ｘ", "D2143569-X") -> "D2143569X": NFKC, no spaces or hyphen, upper case."""
    return _compact(value).replace("-", "")


def organisation_check_character(body: str) -> str:
    total = sum(int(char, 36) * weight for char, weight in zip(body, ORGANISATION_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate_organisation_code(value: str) -> None:
    code = normalize_organisation_code(value)
    if len(code) != ORGANISATION_CODE_LENGTH:
        raise ValidationError(
            _("组织机构代码应为 9 位（8 位本体代码和 1 位校验码）。"), code="org_code_length"
        )
    if not _ORGANISATION_BODY.match(code[:8]):
        raise ValidationError(_("组织机构代码本体只能包含数字和大写字母。"), code="org_code_format")
    if organisation_check_character(code[:8]) != code[8]:
        raise ValidationError(_("组织机构代码校验码不正确，请核对后重新输入。"), code="org_code_checksum")


def normalize_institution_code(value: str) -> str:
    """A credit code (18) or, for the schools that have only that, an organisation code (9, no hyphen)."""
    code = normalize_organisation_code(value)
    return code if len(code) == ORGANISATION_CODE_LENGTH else normalize_credit_code(value)


def validate_institution_code(value: str) -> None:
    """The 18-character credit code, or a 9-character organisation code (whether the applicant may use one
    is the filing's rule: eligibility.institution.organisation_code_condition)."""
    code = normalize_institution_code(value)
    if len(code) == ORGANISATION_CODE_LENGTH:
        validate_organisation_code(code)
    elif len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为 18 位（尚无统一社会信用代码的技工院校可填写 9 位组织机构代码）。"),
            code="credit_code_length",
        )
    else:
        validate_credit_code(code)


def is_organisation_code(value: str) -> bool:
    return len(normalize_institution_code(value)) == ORGANISATION_CODE_LENGTH


def normalize_id_number(value: str) -> str:
    """An ID number as typed (full-width digits or Ｘ, spaces between groups) -> 18 ASCII characters."""
    return _compact(value)


def validate_id_number(value: str) -> None:
    _stdnum_validate(
        ric,
        normalize_id_number(value),
        length=(_("居民身份证号码应为 18 位。"), "id_length"),
        checksum=(_("居民身份证号码校验位不正确。"), "id_checksum"),
        other=(_("居民身份证号码格式不正确（地区码或出生日期无效）。"), "id_format"),
    )


def mask_id_number(value: str) -> str:
    """Public pages show only the first 6 and the last 4 characters of a resident ID number."""
    value = normalize_id_number(value)
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]
