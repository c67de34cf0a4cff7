"""The candidate selection of an issuance ("all, by plan, or some", issue 7): one checkbox per candidate
the issuing side offers as verified passing, all ticked at first. The issuing side's 签发证书 page
(certification's plan_issue) shows it with ``certificates/_candidate_selection.html`` and hands the
ticked keys back to ``create_batch`` through ``issuance.select_candidates``."""

from django import forms
from django.utils.translation import gettext as _

from portal.identifiers import mask_document

from .constants import LEVEL_NAMES, NO_WORK_TYPE
from .issuance import NOT_ISSUABLE, NOTHING_CHOSEN, IssuableCandidate, SelectionError, select_candidates
from .models import Certificate

# The hidden field that tells the selection's submission from the first request that opens the page.
SUBMITTED = "selection"


class CandidateSelectionForm(forms.Form):
    candidates = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": NOTHING_CHOSEN, "invalid_choice": NOT_ISSUABLE},
    )

    def __init__(
        self,
        offered: list[IssuableCandidate],
        *args,
        refused: dict[str, list[str]] | None = None,
        ticked: list[str] | None = None,
        **kwargs,
    ):
        """``refused``: the pre-flight's reasons per source key (``plan_issuing.preflight``): those
        candidates are shown unticked with their reasons, and a submission ticking one is refused with
        their names. ``ticked``: the keys ticked at first (default: all that may be issued)."""
        super().__init__(*args, **kwargs)
        self.offered = list(offered)
        self.refused = dict(refused or {})
        self.initially_ticked = set(ticked) if ticked is not None else None
        self.fields["candidates"].choices = [(c.source_key, c.name) for c in self.offered]

    @staticmethod
    def is_submission(data) -> bool:
        return data.get(SUBMITTED) == "1"

    def clean_candidates(self):
        try:
            chosen = select_candidates(self.offered, self.cleaned_data["candidates"])
        except SelectionError as error:
            raise forms.ValidationError(str(error)) from error
        blocked = [c for c in chosen if c.source_key in self.refused]
        if blocked:
            raise forms.ValidationError(
                _("以下考生暂不能发证，请先处理或取消勾选：%(names)s")
                % {"names": "；".join(f"{c.name}（{''.join(self.refused[c.source_key])}）" for c in blocked)}
            )
        return chosen

    def chosen_keys(self) -> list[str]:
        return [c.source_key for c in self.cleaned_data["candidates"]]

    def rows(self) -> list[dict]:
        """What the page lists: every offered candidate, ticked (all at first; after a refused
        submission, the ticks as submitted), with the certificate an earlier batch already issued."""
        if self.is_bound:
            ticked = set(self.data.getlist(self.add_prefix("candidates")))
        elif self.initially_ticked is not None:
            ticked = self.initially_ticked - set(self.refused)
        else:
            ticked = {c.source_key for c in self.offered if c.source_key not in self.refused}
        certificates = {
            key: (code, status)
            for key, code, status in Certificate.objects.filter(
                source_key__in=[c.source_key for c in self.offered]
            ).values_list("source_key", "code", "status")
        }
        return [
            {
                "key": c.source_key,
                "name": c.name,
                # issue 43: masked by its type's rule
                "id_number": mask_document(c.document_kind, c.id_number or ""),
                "occupation": getattr(c.occupation, "name", ""),
                "work_type": c.work_type or NO_WORK_TYPE,
                "level": LEVEL_NAMES.get(c.level, c.level),
                "checked": c.source_key in ticked,
                "issued_code": certificates.get(c.source_key, ("", ""))[0],
                "issued_revoked": certificates.get(c.source_key, ("", ""))[1] == Certificate.Status.REVOKED,
                "has_photo": bool(c.photo),
                "reasons": self.refused.get(c.source_key, []),
                "candidate_pk": getattr(c, "extra", {}).get("candidate_pk"),
            }
            for c in self.offered
        ]
