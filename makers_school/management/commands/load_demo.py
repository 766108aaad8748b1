from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from makers_school.demo.catalogue import DEMO_PASSWORD, USERS
from makers_school.demo.loader import demo_load


class Command(BaseCommand):
    help = gettext_lazy(
        "Load the demo content: Italian and English pages, courses, editions, "
        "sessions and demo accounts. Safe to run again: nothing that exists is "
        "changed. Every demo account's password is '%(password)s' (demo only)."
    ) % {"password": DEMO_PASSWORD}

    def handle(self, *args, **options) -> None:
        created = demo_load()
        if any(created.values()):
            self.stdout.write(self.style.SUCCESS(_("Demo content loaded.")))
            for kind, count in sorted(created.items()):
                if count:
                    self.stdout.write(f"  {kind}: {count}")
        else:
            self.stdout.write(_("Demo content already present: nothing to do."))
        self.stdout.write(
            _("Demo accounts (password: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for _key, email, *_rest, role, _language in USERS:
            self.stdout.write(f"  {email} ({role})")
