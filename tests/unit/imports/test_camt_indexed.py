"""The indexed view of an entry finds what lxml finds, for every look-up the parser makes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from tests.statements import StatementSpec, document, statement_specs, valid
from wsis_funding.imports.camt import read_statement
from wsis_funding.imports.camt.indexed import Indexed

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

XML = b"""<a xmlns="urn:x"><b><c>first</c></b><b><d/><c>second</c><c/></b>
<!-- a comment --><e>  padded  </e><b><c>third</c></b></a>"""
NS = "{urn:x}"


def _tree() -> Any:
    return etree.fromstring(XML, etree.XMLParser(remove_comments=False))


@pytest.mark.parametrize(
    "path", ["b", "b/c", "b/d", "b/x", "x/c", "e", "b/d/x", "b/c/x"], ids=lambda p: p
)
def test_paths_give_lxmls_elements_in_document_order(path: str) -> None:
    root = _tree()
    qualified = "/".join(NS + step for step in path.split("/"))
    view = Indexed(root)
    assert [n.element for n in view.findall(qualified)] == root.findall(qualified)
    assert [n.element for n in view.iterfind(qualified)] == root.findall(qualified)
    first = view.find(qualified)
    expected = root.find(qualified)
    assert (None if first is None else first.element) is expected
    assert view.findtext(qualified) == root.findtext(qualified)
    assert view.findtext(qualified, "none") == root.findtext(qualified, "none")


def test_the_first_match_may_be_under_a_later_parent() -> None:
    root = etree.fromstring(b"<a><b/><b><c>2</c></b></a>")
    view = Indexed(root)
    found = view.find("b/c")
    assert found is not None
    assert found.text == "2"
    assert view.findtext("b/x") is None
    empty = etree.fromstring(b"<a><b/></a>")
    assert Indexed(empty).findtext("b") == ""


def test_children_skip_comments_and_keep_text_and_attributes() -> None:
    root = _tree()
    view = Indexed(root)
    assert [n.tag for n in view] == [NS + "b", NS + "b", NS + "e", NS + "b"]
    padded = view.find(NS + "e")
    assert padded is not None
    assert padded.text == "  padded  "
    amount = Indexed(etree.fromstring(b'<Amt Ccy="CHF">1.00</Amt>'))
    assert (amount.get("Ccy"), amount.get("Nope"), amount.get("Nope", "x")) == ("CHF", None, "x")


class _Checked(Indexed):
    """An indexed view that asks lxml the same question each time and compares."""

    __slots__ = ()
    asked = 0

    def findall(self, path: str) -> list[Indexed]:
        mine = super().findall(path)
        assert [n.element for n in mine] == self.element.findall(path), path
        _Checked.asked += 1
        return mine

    def find(self, path: str) -> Indexed | None:
        mine = super().find(path)
        assert (None if mine is None else mine.element) is self.element.find(path), path
        _Checked.asked += 1
        return mine

    def __iter__(self) -> Iterator[Indexed]:
        children = list(super().__iter__())
        assert [n.element for n in children] == list(self.element), self.tag
        return iter(children)


@SETTINGS
@given(statement_specs())
def test_every_look_up_of_a_parse_agrees_with_lxml(case: tuple[StatementSpec, str, str]) -> None:
    """Property: on generated statements of every message and version, each look-up the
    readers make through the view finds the elements lxml's own find finds."""
    spec, message, version = case
    xml = valid(document(spec, message=message, version=version))
    before = _Checked.asked
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("wsis_funding.imports.camt.parser.Indexed", _Checked)
        checked = read_statement(xml)
    assert read_statement(xml) == checked
    if spec.entries:
        assert _Checked.asked > before
