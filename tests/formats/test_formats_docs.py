"""The formats package documents its public API, and its docstring examples run."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil

import pytest

import nbannotate.formats as formats

MODULES = sorted(info.name for info in pkgutil.walk_packages(formats.__path__,
                                                             "nbannotate.formats."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring examples of {name} failed"


@pytest.mark.parametrize("name", [n for n in formats.__all__
                                  if inspect.isfunction(getattr(formats, n))])
def test_public_functions_have_numpy_docstrings_with_examples(name: str) -> None:
    doc = inspect.getdoc(getattr(formats, name)) or ""
    assert "Examples\n--------\n>>> " in doc, name
    assert set(formats.__all__) <= set(dir(formats))
