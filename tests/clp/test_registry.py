from dataclasses import dataclass

import pytest

from clp.registry import DuplicateKey, Registry


@dataclass(frozen=True)
class Thing:
    key: str
    order: int


def test_items_come_back_in_their_order_and_by_key():
    things = Registry("thing", order=lambda t: t.order)
    late, early = things.register(Thing("late", 20)), things.register(Thing("early", 10))
    assert list(things) == [early, late]
    assert things.get("late") == late and things.get("nothing") is None
    assert "early" in things and len(things) == 2


def test_without_an_order_items_come_back_as_registered():
    things = Registry("thing")
    first, second = things.register(Thing("b", 2)), things.register(Thing("a", 1))
    assert list(things) == [first, second]


def test_a_second_item_under_a_taken_key_is_refused_but_the_same_item_again_is_harmless():
    things = Registry("thing")
    original = things.register(Thing("one", 1))
    things.register(Thing("one", 1))
    with pytest.raises(DuplicateKey, match="'one'"):
        things.register(Thing("one", 2))
    assert things["one"] == original


def test_override_puts_back_what_was_there():
    things = Registry("thing")
    original = things.register(Thing("one", 1))
    with things.override(Thing("one", 9)) as swapped:
        assert things["one"] == swapped
    with things.override(Thing("two", 2)):
        assert len(things) == 2
    assert list(things) == [original]
