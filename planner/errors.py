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


class NotAWorkbook(ImportProblems):
    """The file chosen for import is not an Excel workbook at all (a CSV renamed .xlsx, an old .xls,
    another program's file): said in plain words, with what to do."""

    def __init__(self, message: str):
        self.problems = [message]
        PlanError.__init__(self, message)


class ReadOnlyPlan(PlanError):
    """The plan is open read-only (to read it, or because someone else is editing it)."""


class ChangedElsewhere(PlanError):
    """Someone else saved to the file since this program read it: reload before changing it."""


class SaveError(PlanError):
    """A file could not be written (disk full, read-only, permission removed, drive gone)."""


_FULL_ERRNOS = {28, 27, 122}  # ENOSPC, EFBIG, EDQUOT
_DENIED_ERRNOS = {1, 13, 30}  # EPERM, EACCES, EROFS


def write_failure(path, exc: BaseException, *, what: str = "The change was not saved") -> SaveError:
    """A database or file-system error while writing ``path``, in a recovery lead's words.

    ``what`` says what did not happen ("The change was not saved", "The workbook was not
    written"); the message always names the file and says whether anything was lost.
    """
    name = getattr(path, "name", None) or str(path)
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    err = getattr(exc, "errno", None)
    if primary == 13 or err in _FULL_ERRNOS:  # SQLITE_FULL
        why = "the disk (or your share of it) is full"
        fix = "Free some space, then try again."
    elif primary in (8, 14) or err in _DENIED_ERRNOS:  # SQLITE_READONLY, SQLITE_CANTOPEN
        why = ("this account cannot write there any more (the file or its folder is read-only, "
               "permission was removed, or the drive was disconnected)")
        fix = "Ask whoever manages the folder, or save a copy somewhere you can write."
    elif primary in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED
        why = "another program was saving to it at the same moment"
        fix = "Try again in a moment."
    elif primary == 10 or err is not None:  # SQLITE_IOERR, another OSError
        detail = getattr(exc, "strerror", None) or str(exc)
        why = f"the drive reported a problem ({detail})"
        fix = "Check the drive or network connection, then try again."
    else:
        why = f"the database reported a problem ({exc})"
        fix = "Try again; if it keeps happening, save a copy elsewhere."
    return SaveError(f"{what}: '{name}' could not be written because {why}. Everything saved "
                     f"before is kept as it was. {fix}")


class DateError(PlanError):
    """Typed text is not a date (or names a day that does not exist); the message lists the forms."""
