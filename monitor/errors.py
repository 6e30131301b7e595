"""Typed errors of the core; the CLI, the crawler and the daemon translate them at their edges."""


class RedlineError(Exception):
    """Base class for every error Redline raises on purpose."""


class UnknownArticleError(RedlineError):
    """The URL is not tracked in this database."""


class VersionNotFoundError(RedlineError):
    """The article has no version with that number."""


class InvalidURLError(RedlineError):
    """The URL cannot be tracked: not http(s), or malformed."""


class InputFileError(RedlineError):
    """A file given on the command line cannot be read."""


class DatabaseError(RedlineError):
    """The database file cannot be opened or is not a Redline database."""


class ConfigError(RedlineError):
    """The configuration file or an option value is invalid."""


class ExtractionError(RedlineError):
    """A page could not be extracted: too slow, or the process extracting it died."""


class WorkerStartError(ExtractionError):
    """No extraction worker process could be started (the installation, not the page)."""


class StalePlanError(RedlineError):
    """Another writer changed the article between deciding a check and writing it."""


class ExtractionTimeoutError(ExtractionError):
    """A page took longer to extract than the time limit (the page's doing, not the worker's)."""


class RefusedDatabaseError(DatabaseError):
    """The file must not be used as this Redline's database, whenever tried again: a user's
    mistake or an upgrade to make, not a storage stop (the CLI exits 1, a crawl REFUSED_EXIT)."""


class NotADatabaseError(RefusedDatabaseError):
    """The file is not a SQLite database (a wrong --db, or a damaged header)."""


class NewerDatabaseError(RefusedDatabaseError):
    """The database was migrated by a newer Redline: this one must not write to it."""


class ForeignDatabaseError(RefusedDatabaseError):
    """The file is another application's SQLite database (tables, none of Redline's): Redline
    must not add its tables to it."""


class StorageError(DatabaseError):
    """The database could not be written (disk full, read-only, I/O error): the round stops."""


class DatabaseBusyError(DatabaseError):
    """Another writer held the database's write lock past the busy timeout: try again shortly."""


class CaptureNotFoundError(RedlineError):
    """No raw page is stored under that id (or for that version)."""


class CorruptPageError(CaptureNotFoundError):
    """A stored raw page cannot be read back: damaged, or past `store.MAX_PAGE_BYTES` once
    decompressed (to its readers, as good as not stored)."""


class ComparisonError(RedlineError):
    """Two versions could not be compared in a worker: too slow, or the worker died."""


class ComparisonTimeoutError(ComparisonError):
    """The comparison took longer than its time limit (`REDLINE_COMPARE_TIMEOUT`)."""


class ArchiveError(RedlineError):
    """A web archive could not be read: unreachable, refusing, or answering nonsense."""
