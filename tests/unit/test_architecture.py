"""The package's shape, checked: names that do not shadow, errors at home, a derived facade."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

import pytest

import wsis_funding
from wsis_funding import errors
from wsis_funding.services.tracker import Books, Tracker
from wsis_funding.services.usecase import UseCase

SRC = Path(wsis_funding.__file__).parent
SUBPACKAGES = sorted(m.name for m in pkgutil.iter_modules(wsis_funding.__path__))


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_every_subpackage_attribute_of_the_package_is_its_module(name: str) -> None:
    module = importlib.import_module(f"wsis_funding.{name}")
    assert getattr(wsis_funding, name) is module


def test_import_money_core_works_and_money_is_the_package() -> None:
    import wsis_funding.money as m
    import wsis_funding.money.core

    assert m is wsis_funding.money
    assert wsis_funding.money.core.money is m.money


@pytest.mark.parametrize(
    "name",
    ["Partner", "Edition", "Address", "Language", "StakeholderType", "Pledge", "Payment",
     "Problem", "open_tracker", "Tracker", "load_issuer", "split_evenly", "render_pdf",
     "RecordedRate"],
)  # fmt: skip
def test_the_readme_names_are_visible_at_the_top_level(name: str) -> None:
    assert name in dir(wsis_funding)
    assert getattr(wsis_funding, name) is not None


def _library_errors() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(wsis_funding.__path__, "wsis_funding."):
        if ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, errors.WsisFundingError)
                and value.__module__ == info.name
            ):
                found[value.__name__] = value
    return found


def test_every_error_of_the_library_is_re_exported_from_errors() -> None:
    defined = _library_errors()
    assert set(defined) == set(errors.__all__)
    for name, cls in defined.items():
        assert getattr(errors, name) is cls


@pytest.mark.parametrize("name", [n for n in errors.__all__ if n != "WsisFundingError"])
def test_each_error_lives_beside_its_slice_and_derives_from_a_builtin_too(name: str) -> None:
    cls = getattr(errors, name)
    assert cls.__module__ != "wsis_funding.errors"
    builtin_bases = [b for b in cls.__mro__ if b.__module__ == "builtins" and b is not object]
    assert any(b is not Exception and b is not BaseException for b in builtin_bases), name


def test_the_library_imports_only_the_root_error_from_errors() -> None:
    """Inside the package an error is imported from its own slice, so that layers stay honest
    (wsis_funding.errors resolves the others by name, which import-linter cannot see)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "wsis_funding.errors":
                names = {a.name for a in node.names}
                if names - {"WsisFundingError"}:
                    offenders.append(f"{path.relative_to(SRC)}: {sorted(names)}")
    assert offenders == []


def test_the_errors_module_imports_no_slice_when_it_runs() -> None:
    """Every slice imports the root error from wsis_funding.errors, so that module's own
    imports (outside ``if TYPE_CHECKING``) must be the standard library only."""
    tree = ast.parse((SRC / "errors.py").read_text(encoding="utf-8"))
    imported = []
    for node in tree.body:
        if isinstance(node, ast.If):  # the TYPE_CHECKING block
            continue
        if isinstance(node, ast.Import):
            imported += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported.append(node.module or "")
    assert imported
    assert all(name.split(".")[0] in sys.stdlib_module_names for name in imported)


USE_CASES = sorted(
    (name, value) for name, value in vars(Books).items() if isinstance(value, UseCase)
)


@pytest.mark.parametrize(("name", "use_case"), USE_CASES)
def test_each_tracker_method_is_its_use_case_without_restating_it(
    name: str, use_case: UseCase[..., object]
) -> None:
    """The method's signature is the function's without the unit of work; its docstring is the
    function's; everything after the first two parameters is keyword-only."""
    method = getattr(Tracker.__new__(Tracker), name)
    function_params = list(inspect.signature(use_case.fn).parameters.values())
    assert list(inspect.signature(method).parameters.values()) == function_params[1:]
    assert method.__doc__ == use_case.fn.__doc__
    assert getattr(Tracker, name) is use_case.fn
    for param in function_params[3:]:
        assert param.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}({param.name})"


def test_swapping_reference_and_idempotency_key_is_a_type_error(tmp_path: Path) -> None:
    from mypy import api

    snippet = tmp_path / "swap.py"
    snippet.write_text(
        "import datetime as dt\n"
        "from wsis_funding import open_tracker\n"
        "from wsis_funding.money import money\n"
        "t = open_tracker('sqlite://')\n"
        "t.record_payment(1, money('1', 'CHF'), dt.date(2024, 1, 1), 'key-1', 'bank ref')\n",
        encoding="utf-8",
    )
    out, _, status = api.run(
        ["--strict", "--no-incremental", "--cache-dir=/dev/null", str(snippet)]
    )
    assert status == 1
    assert "Too many positional arguments" in out
