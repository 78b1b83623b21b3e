"""Errors a user can cause, each with a message a recovery lead understands."""


class PlanError(Exception):
    """Base class: something the user asked for cannot be done; the message says why."""


class ValidationError(PlanError):
    """An edit was refused because the data would be wrong; nothing was changed."""

    def __init__(self, problems: list[str] | str):
        if isinstance(problems, str):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class LoopError(ValidationError):
    """A dependency would make actions wait on each other in a circle."""

    def __init__(self, message: str, loop: list[str]):
        super().__init__(message)
        self.loop = loop


class NotAPlanError(PlanError):
    """The file is not a readable plan (wrong kind of file, damaged or unsafe)."""


class RecoveryNeedsWriteAccess(NotAPlanError):
    """A save was cut short and putting the file back needs write access (the file is not damaged)."""


class NewerVersionError(PlanError):
    """The file was written by a newer version of the program."""


class ImportProblems(PlanError):
    """A workbook could not be imported; every problem is listed with sheet, row and column."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(
            f"The workbook was not imported ({len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}); nothing was written:\n"
            + "\n".join("  - " + p for p in problems)
        )
