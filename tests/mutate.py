"""`make mutate APP=<module path> [TESTS=<test paths>]`: mutmut on one module
(python tests/mutate.py APP [TESTS...]).

mutmut reads its settings from pyproject.toml ([tool.mutmut]) once; this sets
three of them for the run before mutmut starts: only_mutate (the module),
pytest_add_cli_args_test_selection (TESTS, by default the tests of the module's
app: tests/<app>/) and source_paths (every package of the project, so an app
added later is copied too). Then `mutmut run` and the survivors of that module.

mutants/ is mutmut's copy of the project and its cache of results: a second run
on the same module only runs the mutants whose function changed. It is emptied
when the module or the tests change, so the survivors listed are this module's.
"""

import shutil
import subprocess
import sys
from pathlib import Path

# Run as a script (python tests/mutate.py), never as tests.mutate: the tests
# package must be imported from mutants/, where mutmut's pytest looks for it.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

from mutmut import configuration  # noqa: E402 - after the path is set

MUTANTS = Path("mutants")
MARKER = MUTANTS / "makers-school-target.txt"


def _packages() -> list[str]:
    return sorted(
        path.parent.name
        for path in Path().glob("*/__init__.py")
        if path.parent.name not in ("tests", "mutants")
    )


def _configure(module: str, tests: list[str]) -> None:
    settings = configuration.config()
    settings.only_mutate = [module]
    settings.pytest_add_cli_args_test_selection = tests
    known = {str(path) for path in settings.source_paths}
    settings.source_paths += [Path(name) for name in _packages() if name not in known]
    settings.resolved_mutated_source_paths = [
        Path.cwd().resolve() / "mutants" / path for path in settings.source_paths
    ]


def main(argv: list[str]) -> int:
    if not argv or not argv[0].endswith(".py") or not Path(argv[0]).is_file():
        print("usage: make mutate APP=enrolment/services/offers.py [TESTS=tests/x]")
        return 2
    module = Path(argv[0]).as_posix()
    tests = argv[1:] or [f"tests/{module.split('/')[0]}"]
    target = f"{module} {' '.join(tests)}\n"
    if MARKER.exists() and MARKER.read_text() != target:
        shutil.rmtree(MUTANTS)
    _configure(module, tests)
    from mutmut.__main__ import cli  # reads the configuration set above

    cli(["run"], standalone_mode=False)
    MARKER.write_text(target)
    prefix = module.removesuffix(".py").replace("/", ".") + "."
    results = subprocess.run(
        [sys.executable, "-m", "mutmut", "results"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    mine = [line.strip() for line in results if line.strip().startswith(prefix)]
    survivors = [line for line in mine if line.endswith(": survived")]
    others = [line for line in mine if not line.endswith(": survived")]
    if others:  # timeouts (often an endless loop: killed), no tests, ...
        print("\n".join(others))
    print(f"\n{len(survivors)} surviving mutant(s) in {module}:")
    print("\n".join(survivors))
    print("See one: .venv/bin/mutmut show <name>; browse: .venv/bin/mutmut browse")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
