"""A lower app names no higher one, not even in a string (DESIGN.md, STYLE.md 14).

import-linter sees imports only. This test reads every product module of each
app (its string constants, docstrings aside) and every template in the app's
own folder (templates/<app>/), and fails when one names an app above it in the
layers of pyproject.toml: an app label as the whole string ("courses"), a URL
name, a model or a permission ("portal:dashboard", "cms.HomePage",
"certificates.view_certificate"), a template path ("portal/includes/x.html").
A higher app registers itself with the lower one instead (core.links,
core.cache.page_cache_invalidated_by, people.roles, people.personal_data, ...).
"""

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_PRODUCT = {"migrations"}

# Strings that read like an app label but are not one: (module, string, why).
ALLOWED = {
    # The graduate profile's "completed courses" field (show_courses), not the app.
    ("people/models/graduates.py", "courses"),
    # The task queue of certificate PDFs (issue 25 names it so), not the app.
    ("core/tasks.py", "certificates"),
}


def layers() -> list[list[str]]:
    """The import-linter layers, lowest first; apps on one layer are siblings."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = next(
        contract
        for contract in config["tool"]["importlinter"]["contracts"]
        if contract["type"] == "layers"
    )
    return [
        [name.strip() for name in layer.split("|")]
        for layer in reversed(contract["layers"])
    ]


def higher_apps() -> dict[str, set[str]]:
    """Each app and the apps of the layers above it."""
    ordered = layers()
    return {
        app: {above for upper in ordered[index + 1 :] for above in upper}
        for index, layer in enumerate(ordered)
        for app in layer
    }


def naming(text: str, labels: set[str]) -> str | None:
    """The label `text` names: the whole string, or a label followed by ':',
    '.' or '/' and a name (never a label inside a word or a sentence)."""
    match = re.fullmatch(r"([a-z_]+)(?:[:./][A-Za-z_{][^\s]*)?", text)
    if match and match.group(1) in labels:
        return match.group(1)
    return None


def docstring_nodes(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        ):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
            ):
                found.add(id(body[0].value))
    return found


def module_strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    skip = docstring_nodes(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
    ]


def product_modules(app: str) -> list[Path]:
    return sorted(
        path
        for path in (ROOT / app).rglob("*.py")
        if not NOT_PRODUCT & set(path.relative_to(ROOT).parts)
    )


# {% url 'portal:x' %}, {% include "portal/x.html" %}, {% extends ... %}.
TEMPLATE_REFERENCE = re.compile(
    r"""\{%-?\s*(?:url|include|extends)\s+["']([a-z_]+)[:/]"""
)


def template_references(text: str) -> list[tuple[int, str]]:
    """Each app a template's url, include and extends tags name, by line."""
    return [
        (text.count("\n", 0, match.start()) + 1, match.group(1))
        for match in TEMPLATE_REFERENCE.finditer(text)
    ]


APPS = higher_apps()


@pytest.mark.parametrize("app", sorted(APPS))
def test_modules_name_no_higher_app(app):
    above = APPS[app]
    found = []
    for path in product_modules(app):
        name = path.relative_to(ROOT).as_posix()
        for line, text in module_strings(path):
            label = naming(text, above)
            if label and (name, text) not in ALLOWED:
                found.append(f"{name}:{line} names {label!r}: {text!r}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("app", sorted(APPS))
def test_templates_name_no_higher_app(app):
    above = APPS[app]
    folder = ROOT / "templates" / app
    found = [
        f"{path.relative_to(ROOT).as_posix()}:{line} names {label!r}"
        for path in sorted(folder.rglob("*.*"))
        for line, label in template_references(path.read_text())
        if label in above
    ]
    assert not found, "\n".join(found)


def test_the_check_sees_what_it_should():
    labels = {"portal", "cms", "courses"}
    assert naming("portal:company_join", labels) == "portal"
    assert naming("cms.HomePage", labels) == "cms"
    assert naming("courses", labels) == "courses"
    assert naming("portal/includes/x.html", labels) == "portal"
    assert naming("courses.{action}_{model}", labels) == "courses"
    # Words and sentences are not labels.
    assert naming("the courses", labels) is None
    assert naming("courses: none", labels) is None
    assert naming("coursesx", labels) is None
    assert naming("my_courses", labels) is None
    assert template_references(
        "{% url 'cms:x' %}\n{% include \"portal/a.html\" %}"
    ) == [
        (1, "cms"),
        (2, "portal"),
    ]
    assert template_references("{% url 'courses:x' %} courses/ and 'cms:'") == [
        (1, "courses")
    ]


def test_every_layered_app_is_checked():
    assert {"core", "people", "courses", "directory", "portal"} <= set(APPS)
    assert "portal" in APPS["people"]
    assert "people" not in APPS["portal"]
