from django.core.management.base import BaseCommand

from observatory.demo.services import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo: Guatemala's departments and municipalities, a demo subdivision of the demo city, "
        "demo populations, one account per role, a few fictional events on the timeline and three years of generated "
        "records, linked and computed. Idempotent."
    )

    def handle(self, *args, **options):
        for line in demo_load():
            self.stdout.write(line)
        accounts = ", ".join(username for username, _, _ in DEMO_ACCOUNTS)
        self.stdout.write(f"Demo accounts ({accounts}) use the password '{DEMO_PASSWORD}'.")
