from django.core.management import BaseCommand, call_command

from portal.models import Occupation


class Command(BaseCommand):
    help = "Load reference data: the occupation directory (seed 003 附件1). Safe to run again."

    def handle(self, *args, **options):
        call_command("loaddata", "fixtures/occupations.json", verbosity=0)
        self.stdout.write(f"occupations: {Occupation.objects.count()}")
