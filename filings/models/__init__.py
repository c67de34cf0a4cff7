"""The models of filings, one module per procedure, re-exported here (``from filings.models import
Filing`` keeps working, and migrations find every model under this module):

- application: the application, its rows and attachments, the institution code and counters;
- review: expert evaluation and publicity objections;
- after_filing: changes, renewal, termination, sanctions and the blacklist;
- supervision: complaints, inspection draws and inspections;
- common: the abstract bases and field helpers they share (no table of their own).
"""

from .after_filing import (
    BlacklistEntry,
    ChangePerson,
    ChangeRequest,
    ChangeReview,
    ChangeSite,
    Renewal,
    RenewalReminder,
    Sanction,
    TerminationRequest,
)
from .application import (
    SYSTEM,
    Attachment,
    Filing,
    FilingEquipment,
    FilingOccupation,
    FilingPerson,
    FilingSite,
    InstitutionCode,
    SchoolWorkPlan,
    SequenceCounter,
    applicant_of,
    bureau,
    centre,
    centre_or_system,
    reject_permission,
    staff_only,
)
from .common import level_set
from .review import (
    EvaluationBatch,
    ExpertDraw,
    ExpertReview,
    Objection,
    ObjectionState,
)
from .rounds import ApplicationRound
from .seals import Seal, SealOwner, SealState
from .supervision import (
    Complaint,
    Inspection,
    InspectionDraw,
    Referral,
)

__all__ = [
    "ApplicationRound",
    "SYSTEM",
    "level_set",
    "applicant_of",
    "centre",
    "bureau",
    "reject_permission",
    "centre_or_system",
    "staff_only",
    "Filing",
    "FilingOccupation",
    "FilingPerson",
    "FilingEquipment",
    "FilingSite",
    "SchoolWorkPlan",
    "Attachment",
    "SequenceCounter",
    "InstitutionCode",
    "EvaluationBatch",
    "ExpertDraw",
    "ExpertReview",
    "ObjectionState",
    "Objection",
    "ChangeRequest",
    "ChangePerson",
    "ChangeSite",
    "Renewal",
    "TerminationRequest",
    "Sanction",
    "BlacklistEntry",
    "RenewalReminder",
    "ChangeReview",
    "Complaint",
    "InspectionDraw",
    "Inspection",
    "Referral",
    "Seal",
    "SealOwner",
    "SealState",
]
