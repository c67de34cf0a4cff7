"""Issue 43 item 4: the migrations that gave candidates and certificates a document type lose nothing. On
a copy of the demo's kind of data (plan candidates, 鉴定 candidates and certificates, every one named by a
resident ID number), the database is taken back to before those migrations, rows are written through the
historical models, and forward again: every row is there, of type 居民身份证, with the same number."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.certificates.factories import CertificateFactory
from tests.certification.factories import CandidateFactory, PlanFactory, person_id

BEFORE = [
    ("certification", "0014_reminders"),
    ("certificates", "0007_qualification_kind"),
    ("appraisals", "0005_certificates_issued"),
]
KINDS = (
    ("certification", "candidate"),
    ("certificates", "certificate"),
    ("certificates", "issuanceitem"),
    ("appraisals", "appraisalcandidate"),
)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _copy(model, source, **changes):
    """A row of the historical ``model`` with ``source``'s values for the fields the model then had."""
    values = {
        field.attname: getattr(source, field.attname)
        for field in model._meta.concrete_fields
        if not field.primary_key and hasattr(source, field.attname)
    }
    return model.objects.create(**{**values, **changes})


@pytest.mark.django_db(transaction=True)
def test_the_document_kind_migrations_keep_every_row_as_a_resident_id():
    from tests.appraisals.factories import World, arranged_with_roster

    # Rows made with today's models first (their parents too: today's factories write tables that have
    # changed since, which the old schema lacks), then more written through the models of then.
    plan = PlanFactory()
    made = [CandidateFactory(plan=plan, id_number=person_id(n)) for n in range(1, 4)]
    certificate = CertificateFactory(id_number=person_id(4))
    appraisal = arranged_with_roster(World.build(), n=2)

    old = _migrate(BEFORE)
    OldCandidate = old.get_model("certification", "Candidate")
    OldCertificate = old.get_model("certificates", "Certificate")
    OldAppraisalCandidate = old.get_model("appraisals", "AppraisalCandidate")
    assert "document_kind" not in {f.name for f in OldCandidate._meta.get_fields()}
    for n in range(5, 9):
        _copy(OldCandidate, made[0], id_number=person_id(n), row=n)
    for n in range(9, 12):
        _copy(
            OldCertificate,
            certificate,
            id_number=person_id(n),
            code=f"{certificate.code[:-6]}{900000 + n}",
            serial=900000 + n,
            source_key=f"migration-test:{n}",
        )
    first = OldAppraisalCandidate.objects.filter(appraisal_id=appraisal.pk).first()
    _copy(OldAppraisalCandidate, first, id_number=person_id(12), row=12)
    numbers = {
        (app, model): dict(old.get_model(app, model).objects.values_list("pk", "id_number"))
        for app, model in KINDS
    }
    assert len(numbers["certification", "candidate"]) == 7
    assert len(numbers["certificates", "certificate"]) == 4
    assert len(numbers["appraisals", "appraisalcandidate"]) == 3

    new = _migrate(_latest())
    for (app, model), before in numbers.items():
        rows = new.get_model(app, model).objects.values_list("pk", "id_number", "document_kind")
        assert {pk: number for pk, number, _kind in rows} == before, (app, model)
        assert {kind for _pk, _number, kind in rows} <= {"resident_id"}, (app, model)
