import importlib

from django.core.management import BaseCommand

from portal.demo import load_demo_accounts

# Each domain app may ship <app>/demo.py with load() -> list of lines to print; called in this order.
DEMO_APPS = ("filings", "certification", "appraisals", "certificates", "talent")


class Command(BaseCommand):
    help = "Load demo accounts and demo records (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        logins = load_demo_accounts()
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError:
                continue
            for line in module.load() or []:
                self.stdout.write(line)
        self.stdout.write("Demo logins (username / password):")
        for username, password, description in logins:
            self.stdout.write(f"  {username:<12} {password:<12} {description}")
