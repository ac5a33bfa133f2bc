"""What one build of a CV worked out, for the next build of the same CV to take again: `cvgen watch` builds after
every save, and a save that edits one paper of a thousand then reads, views and writes one paper.

Three steps take from the build before, each only what cannot have changed:
- the loader (`cvgen.loader`) takes an entry's data, lines and record where the entry's YAML text is unchanged
  (see `Reuse`); the record is then the very same object as in the build before;
- the view (`cvgen.view`) takes an entry's view where the entry is that same record and the owner's names are
  the same;
- the web page (`cvgen.renderers.context`) takes an entry's written values where its view is that same object,
  at the same place in the YAML, in the same language.

What a step takes is keyed by the identity of an object it holds on to, so no other object can take its place.
Each step keeps only what its last run used. Nothing in a build changes a record, a view or a written value
once made (the model's records are read, never assigned to, after loading; views are frozen).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

Value = TypeVar("Value")


class Memo(Generic[Value]):
    """Values worked out from an object (and a key saying what else they depend on), taken again while it is the
    same object. `turn` starts a new run: what the last run did not use is forgotten."""

    def __init__(self) -> None:
        self.last: dict[tuple[int, Hashable], tuple[object, Value]] = {}
        self.now: dict[tuple[int, Hashable], tuple[object, Value]] = {}
        self.taken = 0  # values the current run took again (for the tests and the bench)

    def turn(self) -> None:
        self.last, self.now, self.taken = self.now, {}, 0

    def get(self, owner: object, key: Hashable, make: Callable[[], Value]) -> Value:
        """The value for `owner` and `key`: the last run's where it had the very same owner, else made now."""
        slot = (id(owner), key)
        found = self.now.get(slot) or self.last.get(slot)
        if found is not None and found[0] is owner:
            self.taken += 1
            value = found[1]
        else:
            value = make()
        self.now[slot] = (owner, value)
        return value


@dataclass(frozen=True)
class Kept:
    """An entry as a load read it: its data, its paths' lines as offsets from its own, where it stood (its path,
    its line and its paths' lines there, which the next load takes at once where it has not moved), and the
    records validation made of it, by class."""

    data: Any
    offsets: list[tuple[tuple[str | int, ...], int]]
    path: tuple[str | int, ...]
    line: int
    lines: dict[tuple[str | int, ...], int]
    records: dict[type, Any] = field(default_factory=dict)


@dataclass
class Reuse:
    """One CV's builds, one after another (`cvgen watch`): what each step of the last build may hand the next.

    The loader's entries are keyed by the entry's YAML text, its column and whether it is read with YAML's types
    (an entry is a mapping in a list inside a section or deeper: a paper, a job, a talk's venue). The loader takes
    nothing where the YAML has an anchor, and keeps no entry it read with a problem."""

    entries: dict[tuple[str, int, bool], Kept] = field(default_factory=dict)
    taken: int = 0  # entries the last load took again
    views: Memo[Any] = field(default_factory=Memo)
    written: Memo[dict[str, Any]] = field(default_factory=Memo)


__all__ = ["Kept", "Memo", "Reuse"]
