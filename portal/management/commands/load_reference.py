import json
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command

from portal.models import Occupation

# seed 002 附件1 二: the occupations an enterprise may appraise, with the source of the list in the file.
APPRAISAL_OCCUPATIONS = Path(settings.BASE_DIR) / "fixtures" / "appraisal_occupations.json"


def mark_appraisal_occupations(path: Path = APPRAISAL_OCCUPATIONS) -> int:
    """Marks the occupations of the file as appraised by the 市人社局 (``bureau_appraisal``); a code the
    directory lacks, or whose name differs, stops the load (the list would silently shrink). Like the
    directory's loaddata, a reload puts the listed marks back; marks changed in the admin are kept in the
    file for good."""
    listed = json.loads(path.read_text(encoding="utf-8"))["occupations"]
    names = dict(Occupation.objects.filter(code__in=[o["code"] for o in listed]).values_list("code", "name"))
    for o in listed:
        if names.get(o["code"]) != o["name"]:
            raise CommandError(f"{path.name}: {o['code']} {o['name']} is not in the occupation directory")
    return Occupation.objects.filter(code__in=names).update(bureau_appraisal=True)


class Command(BaseCommand):
    help = (
        "Load reference data: the occupation directory (seed 003 附件1) and the occupations enterprises may "
        "appraise (seed 002 附件1 二). Safe to run again."
    )

    def handle(self, *args, **options):
        call_command("loaddata", "fixtures/occupations.json", verbosity=0)
        marked = mark_appraisal_occupations()
        self.stdout.write(
            f"occupations: {Occupation.objects.count()} ({marked} open to enterprise appraisal)"
        )
