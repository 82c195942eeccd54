"""Typed errors of the knowledge layer. Each message says what to do."""

from __future__ import annotations


class KnowledgeError(Exception):
    """Base class for errors raised by ``knowledge``."""


class ConfigError(KnowledgeError):
    """A setting is missing or wrong; the message names the ``QT_*`` variable to fix."""


class IngestError(KnowledgeError):
    """A file cannot be ingested (reported and skipped by the ingest loop)."""


class StoreError(KnowledgeError):
    """The vector store cannot be opened or reached."""


class EmbedderError(KnowledgeError):
    """The embedding model cannot be loaded."""


class QueryError(KnowledgeError):
    """A search has invalid filters (phase outside 0-7, chapter outside 00-44)."""


class RoadmapError(KnowledgeError):
    """The roadmap file cannot be parsed or an item id is unknown."""


class ProgressError(KnowledgeError):
    """The progress database cannot be opened or written."""


class PlanError(KnowledgeError):
    """A study plan cannot be built from the given arguments."""


class ExerciseError(KnowledgeError):
    """An exercise is unknown or malformed."""


class QuizInputError(KnowledgeError):
    """A learner's quiz answer that cannot be read (not a number, no option letter…); the message says what to type."""


class DateError(KnowledgeError, ValueError):
    """A date written by the learner cannot be read, or does not exist; the message (French) says how to write it."""


class HomeNotWritableError(ConfigError):
    """``QT_HOME`` (or the folder of a database) cannot be written: read-only disk, permissions, full disk."""
