"""The house limits (CONTRIBUTING.md): a module holds at most 450 lines and a function at most 60, tests included,
so that each reads in one sitting. Migrations are generated and left out."""

import ast
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
MODULE_LINES = 450
FUNCTION_LINES = 60
SKIPPED_PARTS = {".venv", "migrations", "node_modules", "var", ".git"}


def _modules():
    for path in sorted(PROJECT.rglob("*.py")):
        if not SKIPPED_PARTS & set(path.relative_to(PROJECT).parts):
            yield path


def test_no_module_is_longer_than_the_limit():
    long_modules = {
        str(path.relative_to(PROJECT)): lines
        for path in _modules()
        if (lines := len(path.read_text().splitlines())) > MODULE_LINES
    }

    assert long_modules == {}


def test_no_function_is_longer_than_the_limit():
    long_functions = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > FUNCTION_LINES:
                    long_functions[f"{path.relative_to(PROJECT)}:{node.lineno} {node.name}"] = lines

    assert long_functions == {}
