from django.core.management import BaseCommand

from portal.demo import load_demo_accounts


class Command(BaseCommand):
    help = "Load demo accounts and demo records (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        logins = load_demo_accounts()
        self.stdout.write("Demo logins (username / password):")
        for username, password, description in logins:
            self.stdout.write(f"  {username:<12} {password:<12} {description}")
