"""The notices the portal's rules come from, by the titles and numbers users read (issue 29 item 7).

Code comments, tests and docs cite the source notices by a short form, ``seed 001 第十六条(一)``
(../shared/DOMAIN.md, "The notices by their own titles"). A user never sees that form: every citation
that reaches a page, a PDF, a mail or the API description is rendered through ``cite()``, which puts
the notice's own title (and its document number where the notice prints one) in place of ``seed 00x``::

    cite("seed 001 第十六条(一)")  ->  "《天津市职业技能等级认定工作管理办法（试行）》第十六条(一)"
    cite("seed 003 二(六)3")      ->  "《市人社局关于征集社会培训评价组织的通告》（津人社办发〔2020〕86号）二(六)3"

Pure Python: no Django import, so any layer may use it (portal is the bottom layer).
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    short: str  # the short form used in code: "seed 001"
    title: str  # the official title with its book-title marks: 《…》
    number: str = ""  # the document number as the notice prints it; "" where it gives none

    @property
    def name(self) -> str:
        """Title and number as a citation begins: 《…》（津人社办发〔2020〕86号）."""
        return f"{self.title}（{self.number}）" if self.number else self.title


# Only numbers the notices themselves print (DOMAIN.md): seed 000 cites the 管理办法 津人社局发〔2023〕17号
# but prints no number of its own; seed 001 and seed 002 give none either.
NOTICES: dict[str, Notice] = {
    n.short: n
    for n in (
        Notice("seed 000", "《市人社局关于进一步规范职业技能等级认定工作的通知》"),
        Notice("seed 001", "《天津市职业技能等级认定工作管理办法（试行）》"),
        Notice("seed 002", "《技能人才分类评价实施细则》"),
        Notice("seed 003", "《市人社局关于征集社会培训评价组织的通告》", "津人社办发〔2020〕86号"),
        Notice("seed 004", "《关于开展技工院校职业技能等级认定工作的通知》", "辽人社〔2020〕32号"),
    )
}

# Parts of a notice that are documents with their own title: the short form names the part after the
# seed ("seed 002 综合评审工作流程 五(一)"); the user reads the part's own title.
PARTS: dict[str, str] = {
    "seed 002 综合评审工作流程": "《天津市技师、高级技师综合评审工作流程》",
}

SHORT_FORM = re.compile(r"seed 00[0-9]")
_PART = re.compile("|".join(re.escape(k) for k in sorted(PARTS, key=len, reverse=True)) + r"[ \t]*")
_SEED = re.compile(r"seed (00[0-9])[ \t]*")


class UnknownNotice(KeyError):
    """A short form the table does not know (a typo in the code, or a new notice not yet listed)."""


def _notice(short: str) -> Notice:
    try:
        return NOTICES[short]
    except KeyError:
        raise UnknownNotice(short) from None


def cite(text: str, *, strict: bool = True) -> str:
    """``text`` with every short-form reference replaced by the notice's title (and number): the
    clause after it is kept as written. Text without a short form comes back unchanged. A short form
    the table does not know raises UnknownNotice, or with ``strict=False`` (text stored before, shown
    as it is) stays as written."""
    if "seed" not in text:
        return text
    text = _PART.sub(lambda m: PARTS[m.group(0).rstrip()], text)

    def name(m: re.Match) -> str:
        short = f"seed {m.group(1)}"
        if short in NOTICES or strict:
            return _notice(short).name
        return m.group(0)

    return _SEED.sub(name, text)


# The clauses pages cite by name ({{ "plan_lead"|clause }}): each app registers its own in its constants
# module (``notices.register_clauses(plan_lead="seed 001 第十六条(一)")``), so a template never writes a
# short form and every citation of a page stands in one named place.
CLAUSES: dict[str, str] = {}


def register_clauses(**clauses: str) -> None:
    for name, short in clauses.items():
        if CLAUSES.get(name, short) != short:
            raise ValueError(f"clause name {name!r} registered twice with different clauses")
        CLAUSES[name] = short


def clause(name: str) -> str:
    """The registered clause ``name`` as users read it (the notice's title and number and the clause)."""
    return cite(CLAUSES[name])


def short_forms(text: str) -> list[str]:
    """The short forms (``seed 00x``) that ``text`` still contains; empty when it is fit to show."""
    return SHORT_FORM.findall(text)
