"""The errors qa raises on purpose. Each message is one line that says what to do next; the CLI prints it."""


class QAError(Exception):
    """Base class: a problem the user can fix, reported as one line (exit code 2 on the command line)."""


class BadInput(QAError):
    """A question, option or input file that cannot be used as given."""


class DocumentError(BadInput):
    """A report file that cannot be read: missing, empty, binary, not UTF-8 or of an unknown type."""


class IndexMissing(QAError):
    """No index where one was expected."""


class IndexStale(QAError):
    """An index written by another schema, another qa version or another embedding model."""


class IndexBusy(QAError):
    """Another process is writing the index."""
