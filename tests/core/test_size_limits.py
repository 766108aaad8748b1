"""The house rule of issue 24: no product module over 400 lines and no function
over 50, so each module has one job a newcomer can read in one sitting. Tests,
the bench, the security harness and migrations are not product code."""

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50


def _product_modules() -> list[Path]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    apps = config["tool"]["importlinter"]["root_packages"]
    return [
        path
        for app in apps
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_the_product_modules_are_found():
    modules = {path.relative_to(ROOT).as_posix() for path in _product_modules()}
    assert "attendance/models.py" in modules
    assert "makers_school/settings/base.py" in modules
    assert not any("/migrations/" in module for module in modules)


def test_no_product_module_is_over_400_lines():
    long_modules = {
        path.relative_to(ROOT).as_posix(): lines
        for path in _product_modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines()))
        > MAX_MODULE_LINES
    }
    assert long_modules == {}


def test_no_product_function_is_over_50_lines():
    long_functions = {}
    for path in _product_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    where = f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"
                    long_functions[where] = lines
    assert long_functions == {}
