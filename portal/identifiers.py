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

import datetime
import functools
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc


def normalize_text(value) -> str:
    """NFKC, without whitespace (U+3000 too) at either end: "\u3000ＡＢ１２ " -> "AB12"."""
    return unicodedata.normalize("NFKC", value or "").strip()


def _compact(value) -> str:
    """NFKC, without any whitespace, upper case: what identifiers typed in groups compare as."""
    if value.__class__ is str and value.isascii():  # ASCII is its own NFKC form: most numbers as typed
        return "".join(value.split()).upper()
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
    """A resident ID number (居民身份证): check_document(DocumentKind.RESIDENT_ID, value)."""
    check_document(DocumentKind.RESIDENT_ID, value)


# A roster row's number is checked more than once (the row, then its birth date and sex): python-stdnum's
# validate costs ~70 us, a quarter of a roster row (issue 42 item 3, bench/eligibility.py). A valid
# number is remembered (the check is pure); an invalid one raises and is checked again each time.
RESIDENT_ID_CACHE_SIZE = 4096  # a tuning choice, not a number from the notices


# python-stdnum's ric.validate cleans the number four times (compact, in validate and in each of its
# get_birth_date, get_birth_date, get_birth_place calls) and looks the address code up in its numdb table:
# half of a roster row's check (issue 42 item 3). A number already plain (17 ASCII digits and a digit or X,
# as normalize_id_number leaves most) is cleaned by none of that, so ``_ric_validate`` asks stdnum's own
# calc_check_digit and get_birth_date directly and its get_birth_place once per address code and birth year
# (all its answer depends on); any other string goes to ric.validate as it is. Same answers and exceptions:
# tests/portal/test_identifiers.py compares the two.
_PLAIN_RESIDENT_ID = re.compile(r"[0-9]{17}[0-9X]")
_BIRTH_PLACES: dict[tuple[str, str], bool] = {}  # (address code, birth year) -> get_birth_place accepted
BIRTH_PLACES_CACHE_SIZE = 65536  # a tuning choice: cleared when full (some 3,500 codes x 100 years)


def _ric_validate(number: str) -> None:
    """``stdnum.cn.ric.validate(number)``, raising the same stdnum exceptions, cheaper for a plain number."""
    if _PLAIN_RESIDENT_ID.fullmatch(number) is None:
        ric.validate(number)
        return
    if number[-1] != ric.calc_check_digit(number):
        raise stdnum_errors.InvalidChecksum()
    ric.get_birth_date(number)
    key = (number[:6], number[6:10])
    valid = _BIRTH_PLACES.get(key)
    if valid is None:
        try:
            ric.get_birth_place(number)
        except stdnum_errors.InvalidComponent:
            valid = False
        else:
            valid = True
        if len(_BIRTH_PLACES) >= BIRTH_PLACES_CACHE_SIZE:
            _BIRTH_PLACES.clear()
        _BIRTH_PLACES[key] = valid
    if not valid:
        raise stdnum_errors.InvalidComponent()


@functools.lru_cache(maxsize=RESIDENT_ID_CACHE_SIZE)
def _check_resident_id(number: str) -> None:
    try:
        _ric_validate(number)
    except stdnum_errors.ValidationError:
        pass  # checked again below for the message: translated only when one is needed
    else:
        return
    _stdnum_validate(
        ric,
        number,
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


# --- Identity documents (issue 43) -----------------------------------------------------------------------
# A person is identified by a document type and its number. Every caller goes through one front door,
# check_document(kind, number) -> the normalised number; masking, birth date and sex follow the same table.


class DocumentKind(models.TextChoices):
    RESIDENT_ID = "resident_id", gettext_lazy("居民身份证")
    RESIDENCE_PERMIT = "residence_permit", gettext_lazy("港澳台居民居住证")
    HK_MACAO_PERMIT = "hk_macao_permit", gettext_lazy("港澳居民来往内地通行证")
    TAIWAN_PERMIT = "taiwan_permit", gettext_lazy("台湾居民来往大陆通行证")
    PERMANENT_RESIDENCE = "permanent_residence", gettext_lazy("外国人永久居留身份证")
    PASSPORT = "passport", gettext_lazy("护照")


def document_kind(value) -> DocumentKind:
    """The DocumentKind named by ``value``: a member, its value ("passport"), its name ("PASSPORT") or its
    Chinese label as a roster writes it ("护照"). Raises ValueError for anything else."""
    if isinstance(value, DocumentKind):
        return value
    text = normalize_text(str(value or ""))
    for kind in DocumentKind:
        if text in (kind.value, kind.name, str(kind.label)) or text == _LABELS_ZH[kind]:
            return kind
    raise ValueError(f"unknown document kind: {value!r}")


_LABELS_ZH = {
    DocumentKind.RESIDENT_ID: "居民身份证",
    DocumentKind.RESIDENCE_PERMIT: "港澳台居民居住证",
    DocumentKind.HK_MACAO_PERMIT: "港澳居民来往内地通行证",
    DocumentKind.TAIWAN_PERMIT: "台湾居民来往大陆通行证",
    DocumentKind.PERMANENT_RESIDENCE: "外国人永久居留身份证",
    DocumentKind.PASSPORT: "护照",
}


def chinese_label(kind) -> str:
    """The type's name in Chinese whatever the reader's language (data formats: the ministry export's
    证件类型 column, rosters)."""
    return _LABELS_ZH[document_kind(kind)]


# ISO 3166-1 alpha-3 codes of the states that issue a foreign passport (护照 here is a foreign passport:
# the 193 UN member states and the two observer states, less CHN, whose citizens, Hong Kong, Macao and
# Taiwan residents included, are identified by the other documents). Neither python-stdnum nor pycountry
# (not installed) carries the list.
PASSPORT_COUNTRIES = frozenset(
    """
    AFG AGO ALB AND ARE ARG ARM ATG AUS AUT AZE BDI BEL BEN BFA BGD BGR BHR BHS BIH BLR BLZ BOL BRA BRB BRN
    BTN BWA CAF CAN CHE CHL CIV CMR COD COG COL COM CPV CRI CUB CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY
    ERI ESP EST ETH FIN FJI FRA FSM GAB GBR GEO GHA GIN GMB GNB GNQ GRC GRD GTM GUY HND HRV HTI HUN IDN IND
    IRL IRN IRQ ISL ISR ITA JAM JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU
    LUX LVA MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MOZ MRT MUS MWI MYS NAM NER NGA NIC NLD NOR
    NPL NRU NZL OMN PAK PAN PER PHL PLW PNG POL PRK PRT PRY PSE QAT ROU RUS RWA SAU SDN SEN SGP SLB SLE SLV
    SMR SOM SRB SSD STP SUR SVK SVN SWE SWZ SYC SYR TCD TGO THA TJK TKM TLS TON TTO TUN TUR TUV TZA UGA UKR
    URY USA UZB VAT VCT VEN VNM VUT WSM YEM ZAF ZMB ZWE
    """.split()
)

# GB 11643-1999 公民身份号码 4.2 and 8: the 6-digit address code, the birth date YYYYMMDD (characters 7-14),
# the 3-digit order code whose last digit is odd for men and even for women (character 17), and the
# ISO 7064 MOD 11-2 check character ("X" for 10): stdnum.cn.ric.calc_check_digit.
_GB11643 = re.compile(r"^\d{17}[\dX]$")
# 《港澳台居民居住证申领发放办法》（国办发〔2018〕81号）第四条: the residence permit's 公民身份号码 follows
# GB 11643 with the address code 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan).
RESIDENCE_PERMIT_REGIONS = ("810000", "820000", "830000")


def _refuse(message: str, code: str, kind: DocumentKind):
    raise ValidationError(message, code=code, params={"kind": kind.label})


def _gb11643_birth_date(number: str) -> datetime.date | None:
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def _check_gb11643(kind: DocumentKind, number: str) -> None:
    """The shared tail of the residence permit and the 2023 permanent residence ID: a valid birth date and
    the GB 11643 check character."""
    if _gb11643_birth_date(number) is None:
        _refuse(_("%(kind)s号码中的出生日期无效。"), "document_birth_date", kind)
    if ric.calc_check_digit(number) != number[17]:
        _refuse(_("%(kind)s号码校验位不正确。"), "document_checksum", kind)


def _check_residence_permit(number: str) -> None:
    kind = DocumentKind.RESIDENCE_PERMIT
    if len(number) != 18:
        _refuse(_("%(kind)s号码应为 18 位。"), "document_length", kind)
    if not _GB11643.match(number):
        _refuse(_("%(kind)s号码格式不正确（17 位数字和 1 位校验码）。"), "document_format", kind)
    if number[:6] not in RESIDENCE_PERMIT_REGIONS:
        _refuse(_("%(kind)s号码地区码不正确（应为 810000、820000 或 830000）。"), "document_region", kind)
    _check_gb11643(kind, number)


# 港澳居民来往内地通行证 (the 2013 card, 公安部出入境管理局): "H" (Hong Kong) or "M" (Macao) and 8 digits, the
# 2 digits of the renewal count after them when they are written too (11 characters). No check character
# is published: the format alone is checked.
_HK_MACAO_PERMIT = re.compile(r"^[HM](\d{8}|\d{10})$")


def _check_hk_macao_permit(number: str) -> None:
    kind = DocumentKind.HK_MACAO_PERMIT
    if len(number) not in (9, 11):
        _refuse(_("%(kind)s号码应为 9 位或 11 位（H 或 M 加 8 位或 10 位数字）。"), "document_length", kind)
    if not _HK_MACAO_PERMIT.match(number):
        _refuse(_("%(kind)s号码格式不正确（应为 H 或 M 加 8 位或 10 位数字）。"), "document_format", kind)


# 台湾居民来往大陆通行证 (the 2015 card, 《国务院关于修改〈中国公民往来台湾地区管理办法〉的决定》): 8 digits.
# No check character is published: the format alone is checked.
_TAIWAN_PERMIT = re.compile(r"^\d{8}$")


def _check_taiwan_permit(number: str) -> None:
    kind = DocumentKind.TAIWAN_PERMIT
    if len(number) != 8:
        _refuse(_("%(kind)s号码应为 8 位数字。"), "document_length", kind)
    if not _TAIWAN_PERMIT.match(number):
        _refuse(_("%(kind)s号码格式不正确（应为 8 位数字）。"), "document_format", kind)


# 外国人永久居留身份证 (国家移民管理局《新版外国人永久居留身份证机读信息规则（2023版）》, issued from 1 December 2023):
# - the 2017 card: 15 characters, 3 Latin letters (the nationality, ISO 3166-1 alpha-3) and 12 digits. Its
#   check character's rule is not public: the format alone is checked.
# - the 2023 card: 18 characters "following the 公民身份号码 national standard", 17 digits and a check
#   character computed by ISO 7064 MOD 11-2 "the same way as the 公民身份号码" (GB 11643), with "9" first as
#   the foreigner's mark (resident ID numbers start with 1 to 8). The birth date and the order code (sex)
#   stand where GB 11643 puts them (characters 7-14 and 17).
_PERMANENT_RESIDENCE_2017 = re.compile(r"^[A-Z]{3}\d{12}$")
_PERMANENT_RESIDENCE_2023 = re.compile(r"^9\d{16}[\dX]$")


def _check_permanent_residence(number: str) -> None:
    kind = DocumentKind.PERMANENT_RESIDENCE
    if len(number) not in (15, 18):
        _refuse(_("%(kind)s号码应为 15 位（2017 版）或 18 位（2023 版）。"), "document_length", kind)
    if len(number) == 15:
        if not _PERMANENT_RESIDENCE_2017.match(number):
            _refuse(
                _("%(kind)s号码格式不正确（2017 版为 3 位国籍字母代码加 12 位数字）。"),
                "document_format",
                kind,
            )
        return
    if not _PERMANENT_RESIDENCE_2023.match(number):
        _refuse(
            _("%(kind)s号码格式不正确（2023 版为以 9 开头的 17 位数字加 1 位校验码）。"),
            "document_format",
            kind,
        )
    _check_gb11643(kind, number)


# 护照 (a foreign passport): the issuing state's ISO 3166-1 alpha-3 code (as in the passport's machine-readable
# zone, ICAO Doc 9303) followed by the passport number, 5 to 20 letters or digits ("USA123456789"; typed
# "USA 123456789" or "usa-123456789" too). Numbers have no common check rule.
_PASSPORT_NUMBER = re.compile(r"^[A-Z0-9]{5,20}$")


def _check_passport(number: str) -> None:
    kind = DocumentKind.PASSPORT
    country, body = number[:3], number[3:]
    if country not in PASSPORT_COUNTRIES:
        _refuse(
            _("%(kind)s号码应以签发国家的三位字母代码（ISO 3166-1，如 USA）开头。"), "document_region", kind
        )
    if not 5 <= len(body) <= 20:
        _refuse(_("%(kind)s号码在国家代码之后应为 5 至 20 位字母或数字。"), "document_length", kind)
    if not _PASSPORT_NUMBER.match(body):
        _refuse(_("%(kind)s号码格式不正确（国家代码之后只能包含字母和数字）。"), "document_format", kind)


@dataclass(frozen=True)
class DocumentType:
    """One row of DOCUMENT_TYPES: how a number of this kind is checked and whether it carries the
    holder's birth date and sex (GB 11643 layout)."""

    kind: DocumentKind
    check: Callable[[str], None]
    carries_birth_and_sex: Callable[[str], bool]


def _always(number: str) -> bool:
    return True


def _never(number: str) -> bool:
    return False


def _is_2023_permanent_residence(number: str) -> bool:
    return len(number) == 18


DOCUMENT_TYPES = {
    row.kind: row
    for row in (
        DocumentType(DocumentKind.RESIDENT_ID, _check_resident_id, _always),
        DocumentType(DocumentKind.RESIDENCE_PERMIT, _check_residence_permit, _always),
        DocumentType(DocumentKind.HK_MACAO_PERMIT, _check_hk_macao_permit, _never),
        DocumentType(DocumentKind.TAIWAN_PERMIT, _check_taiwan_permit, _never),
        DocumentType(
            DocumentKind.PERMANENT_RESIDENCE, _check_permanent_residence, _is_2023_permanent_residence
        ),
        DocumentType(DocumentKind.PASSPORT, _check_passport, _never),
    )
}


def normalize_document(kind, number: str) -> str:
    """A document number as stored: NFKC (full-width folded), no whitespace, upper case; a passport also
    loses the hyphen or slash typed between the country code and the number."""
    value = _compact(number)
    if document_kind(kind) == DocumentKind.PASSPORT:
        value = value.replace("-", "").replace("/", "")
    return value


def sheet_document(kind_cell, number_cell) -> tuple[DocumentKind | None, str]:
    """A score sheet's 证件类型 and 证件号码 cells read together (the 鉴定 and 认定 score imports): the kind, or
    None where the sheet has no type (then any type matches the number), and the number normalised as that
    kind's, a resident ID's where the type is blank. ValueError, with the row's message, for a type the
    portal does not know."""
    text = str(kind_cell or "").replace(" ", "")
    kind = None
    if text:
        try:
            kind = document_kind(text)
        except ValueError:
            raise ValueError(_("证件类型“%(value)s”无法识别。") % {"value": kind_cell}) from None
    return kind, normalize_document(kind or DocumentKind.RESIDENT_ID, number_cell)


def check_document(kind, number: str) -> str:
    """The one front door: the normalised ``number`` of a document of ``kind`` (a DocumentKind, or its name,
    value or label), or ValidationError naming the type and what is wrong (length, check character, format,
    region code)."""
    kind = document_kind(kind)
    value = normalize_document(kind, number)
    DOCUMENT_TYPES[kind].check(value)
    return value


# Public pages hide as much of every number as of a resident ID number, whose first 6 and last 4 of 18
# characters show: 8 of 18 (4/9) hidden, the middle ones, rounded up; of what shows, 2/5 at the end
# (18 -> 6 + 8 hidden + 4; 9 -> 3 + 4 + 2; 11 -> 4 + 5 + 2; 8 -> 3 + 4 + 1; 15 -> 5 + 7 + 3). A passport
# shows its country code and masks its number by the same rule.
MASK_HIDDEN_SHARE = (8, 18)


def _mask_share(value: str) -> str:
    hidden = math.ceil(len(value) * MASK_HIDDEN_SHARE[0] / MASK_HIDDEN_SHARE[1])
    shown = len(value) - hidden
    tail = shown * 2 // 5
    head = shown - tail
    return value[:head] + "*" * hidden + value[len(value) - tail :]


def mask_document(kind, number: str) -> str:
    kind = document_kind(kind)
    value = normalize_document(kind, number)
    if kind == DocumentKind.PASSPORT and len(value) > 3:
        return value[:3] + _mask_share(value[3:])
    return _mask_share(value)


def _birth_and_sex_digits(kind, number: str) -> str | None:
    """The normalised number when it is valid and carries a birth date and sex, else None."""
    kind = document_kind(kind)
    try:
        value = check_document(kind, number)
    except ValidationError:
        return None
    return value if DOCUMENT_TYPES[kind].carries_birth_and_sex(value) else None


def document_birth_date(kind, number: str) -> datetime.date | None:
    """The birth date a valid number carries (GB 11643 characters 7-14), None where the document does not
    carry one (the permits, the 2017 permanent residence ID, a passport) or the number is not valid."""
    value = _birth_and_sex_digits(kind, number)
    return _gb11643_birth_date(value) if value else None


def document_sex(kind, number: str) -> str | None:
    """ "M" or "F" from a valid number that carries it (GB 11643: the 17th character is odd for men, even
    for women), None where the document does not carry it or the number is not valid."""
    value = _birth_and_sex_digits(kind, number)
    if not value:
        return None
    return "M" if int(value[16]) % 2 else "F"


class DocumentHolder:
    """For a model with ``document_kind`` and ``id_number`` (a candidate, a certificate): how pages name and
    show the holder's document."""

    @property
    def shows_document_kind(self) -> bool:
        """Pages and PDFs name the document type only where it is not a resident ID (the usual case goes
        unsaid)."""
        return self.document_kind != DocumentKind.RESIDENT_ID

    @property
    def masked_number(self) -> str:
        """The number as public pages show it: :func:`mask_document`, the rule of its type."""
        return mask_document(self.document_kind, self.id_number or "")
