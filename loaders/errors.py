"""The one error every loader raises for bad input: it names the file and, where it can, the
line or field, and says what was wrong."""
from __future__ import annotations


class LoaderError(Exception):
    """Bad input. ``str(err)`` is a one-line message such as
    ``"notes.txt: line 3: not UTF-8 (byte 0xe9 at column 7)"``.

    >>> str(LoaderError("a.txt", "empty file"))
    'a.txt: empty file'
    >>> str(LoaderError("a.csv", "no date", line=4, field="Date"))
    'a.csv: line 4: field Date: no date'

    Characters that would break the line (line breaks, other controls) are shown escaped:

    >>> print(LoaderError("a.csv", "unknown header: 'Minister\\n'"))
    a.csv: unknown header: 'Minister\\n'
    """

    def __init__(self, path: str, message: str, line: int | None = None,
                 field: str | None = None) -> None:
        message = "".join(c if c.isprintable() else c.encode("unicode_escape").decode()
                          for c in message)
        self.path, self.message, self.line, self.field = str(path), message, line, field
        where = [self.path]
        if line is not None:
            where.append(f"line {line}")
        if field is not None:
            where.append(f"field {field}")
        super().__init__(": ".join([*where, message]))
