from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from demo.data import data, password
from demo.directory import DEMO_DOMAIN
from demo.loader import demo_load
from enrolment.models import Enrolment
from people.models import Role

KIND_LABELS = {
    "companies": gettext_lazy("companies"),
    "company members": gettext_lazy("company members"),
    "competencies": gettext_lazy("competencies"),
    "editions": gettext_lazy("course editions"),
    "email addresses": gettext_lazy("verified email addresses"),
    # The model's own name: no new message to translate.
    "enrolments": Enrolment._meta.verbose_name_plural,
    "images": gettext_lazy("images"),
    "pages": gettext_lazy("Italian pages"),
    "sessions": gettext_lazy("sessions"),
    "site settings": gettext_lazy("site settings"),
    "sites": gettext_lazy("sites"),
    "translations": gettext_lazy("English translations of pages"),
    "users": gettext_lazy("users"),
    "venues": gettext_lazy("venues"),
}


class Command(BaseCommand):
    # argparse needs a str, not a lazy translation.
    help = (
        "Load the demo content: Italian and English pages, courses, editions, "
        "sessions and demo accounts. Safe to run again: nothing that exists is "
        "changed. Every demo account's password is 'makers-demo-2026' (a demo "
        "only: never load this on a public server)."
    )

    def handle(self, *args, **options) -> None:
        created = demo_load()
        if any(created.values()):
            self.stdout.write(self.style.SUCCESS(_("Demo content loaded.")))
            for kind, count in sorted(created.items()):
                if count:
                    self.stdout.write(f"  {KIND_LABELS.get(kind, kind)}: {count}")
        else:
            self.stdout.write(_("Demo content already present: nothing to do."))
        self.stdout.write(
            _("Demo accounts (password: %(password)s):") % {"password": password()}
        )
        for user in data("people")["users"]:
            self.stdout.write(f"  {user['email']} ({Role(user['role']).label})")
        directory = data("directory")
        unverified = directory.get("unverified_company")
        if unverified:
            self.stdout.write(
                "  "
                + _("%(email)s (%(role)s of %(company)s, not verified by staff)")
                % {
                    "email": unverified["member"]["email"],
                    "role": Role.COMPANY_MEMBER.label,
                    "company": unverified["name"],
                }
            )
        graduates = [g["key"] for g in directory.get("graduates", [])]
        if graduates:
            self.stdout.write(
                "  "
                + _(
                    "%(first)s@%(domain)s ... %(last)s@%(domain)s (%(count)d "
                    "graduates with a published profile)"
                )
                % {
                    "first": graduates[0],
                    "last": graduates[-1],
                    "domain": DEMO_DOMAIN,
                    "count": len(graduates),
                }
            )
