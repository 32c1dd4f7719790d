"""The one registry type: an earlier app offers a registry, later apps fill it in `ready()`.

    panels = Registry("home panel", order=lambda panel: panel.order)
    register = panels.register            # the public function other apps call
    panels.get("plans"), list(panels)     # lookup by key; iteration in order

Keys are unique: registering a different item under a key that is taken is a mistake and
raises `DuplicateKey` (registering the very same item again is harmless). Tests that need
another item for a while use `with registry.override(item):`, which puts the old one back.
"""

import contextlib
from collections.abc import Callable, Iterator
from operator import attrgetter


class DuplicateKey(Exception):
    """Two different items were registered under one key."""


class Registry[T]:
    def __init__(self, name: str, *, key: Callable[[T], str] = attrgetter("key"),
                 order: Callable[[T], object] | None = None):
        self.name = name
        self._key = key
        self._order = order
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        key = self._key(item)
        existing = self._items.get(key)
        if existing is not None and existing != item:
            raise DuplicateKey(f"A {self.name} with the key {key!r} is already registered.")
        self._items[key] = item
        return item

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    def get(self, key: str) -> T | None:
        return self._items.get(key)

    def __getitem__(self, key: str) -> T:
        return self._items[key]

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        """In the registry's order (e.g. by `order`), else in the order they were registered."""
        items = list(self._items.values())
        return iter(sorted(items, key=self._order) if self._order else items)

    @contextlib.contextmanager
    def override(self, item: T):
        """For tests: `item` is registered (replacing any under its key) until the block ends."""
        key = self._key(item)
        before = self._items.get(key)
        self._items[key] = item
        try:
            yield item
        finally:
            if before is None:
                self._items.pop(key, None)
            else:
                self._items[key] = before
