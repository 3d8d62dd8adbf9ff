from django.core.management.base import BaseCommand

from observatory.accounts.services import api_key_create


class Command(BaseCommand):
    help = "Create an API key for an NGO or researcher (public data, higher rate limit). Prints the key once."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Organisation or person holding the key")

    def handle(self, *args, name: str, **options):
        api_key, raw_key = api_key_create(name=name)
        self.stdout.write(f"API key for {api_key.name} (prefix {api_key.prefix}); it will not be shown again:")
        self.stdout.write(raw_key)
