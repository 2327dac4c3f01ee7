"""Drop-down lists whose choices are Python values, kept on the Python side.

PySide turns a Python enum stored as item data into its plain ``str`` (or
``int``) on the way back: ``combo.addItem("Meets", AssessmentResult.MEETS)``
then ``combo.currentData()`` gives ``"meets"``. A ``ChoiceBox`` stores only
the row in Qt and keeps the values in a Python list, so what comes back is the
very object that went in. ``same_choice`` serves the other direction, where a
value has made the round trip through an item model's data.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget


def same_choice(choice: Any, value: Any) -> bool:
    """Whether ``value`` (perhaps an enum's plain value after a trip through
    Qt) stands for ``choice``. ``True`` and ``1`` are told apart."""
    if isinstance(choice, bool) or isinstance(value, bool):
        return type(choice) is type(value) and choice == value
    if isinstance(choice, Enum) and not isinstance(value, Enum):
        return bool(choice.value == value)
    return bool(choice == value)


def find_choice(choices: Iterable[tuple[str, Any]], value: Any) -> int:
    """The row of the choice ``value`` stands for, or -1."""
    return next(
        (
            row
            for row, (_label, choice) in enumerate(choices)
            if same_choice(choice, value)
        ),
        -1,
    )


class ChoiceBox(QComboBox):
    """A ``QComboBox`` of ``(label, value)`` choices that gives back the values
    themselves, enums included."""

    def __init__(
        self,
        choices: Iterable[tuple[str, Any]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._values: list[Any] = []
        self.set_choices(choices)

    def set_choices(self, choices: Iterable[tuple[str, Any]]) -> None:
        """Replace the choices; the first becomes current."""
        pairs = list(choices)
        self.clear()
        self._values = [value for _label, value in pairs]
        for label, _value in pairs:
            self.addItem(label)

    def choices(self) -> list[tuple[str, Any]]:
        return [(self.itemText(row), value) for row, value in enumerate(self._values)]

    def value(self) -> Any:
        """The current choice's value; ``None`` when the list is empty."""
        return self.value_at(self.currentIndex())

    def value_at(self, row: int) -> Any:
        return self._values[row] if 0 <= row < len(self._values) else None

    def find_value(self, value: Any) -> int:
        """The row of ``value``, or -1."""
        return find_choice(self.choices(), value)

    def select(self, value: Any) -> bool:
        """Make ``value`` current; ``False`` (and the current row kept) if it
        is not among the choices."""
        row = self.find_value(value)
        if row >= 0:
            self.setCurrentIndex(row)
        return row >= 0
