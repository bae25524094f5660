"""The one exception family of the product, turned into a clean message only at the edges."""


class ImvoError(Exception):
    """A problem the user can fix; its message says what happened and what to do next."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text}\nHint: {self.hint}" if self.hint else text


class DefinitionError(ImvoError):
    """The KPI or covenant definitions are invalid."""


class IngestError(ImvoError):
    """A submission file cannot be read or loaded."""


class WarehouseError(ImvoError):
    """The warehouse is missing, locked or out of date."""


class AccessDenied(ImvoError):
    """The viewer may not see what was asked for."""
