"""Content for the resilience tests' production shape, written as an editor
would (a revision published), in a process with the shape's own settings:

    python -m tests.core.resilience_site setup          # home page and catalogue
    python -m tests.core.resilience_site hero <text>    # publish a new hero title

A publication bumps the page cache's generations in Redis (core.cache), which
is how the app servers learn of it.
"""

import sys

import django

django.setup()

from cms.models import HomePage  # noqa: E402
from cms.services import site_tree_ensure  # noqa: E402


def main(command: str, *args: str) -> None:
    if command == "setup":
        site_tree_ensure(home={"hero_title": "Benvenuti"})
    elif command == "hero":
        home = HomePage.objects.get()
        home.hero_title = args[0]
        home.save_revision().publish()
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(*sys.argv[1:])
