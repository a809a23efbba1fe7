"""Structured logging setup. Events carry ids and counts, never personal data."""

import logging
import sys

import structlog

from skillbeacon.settings import Settings


def _stderr_logger(*_args: object) -> structlog.PrintLogger:
    # Look up sys.stderr on each use: test runners and CLI harnesses swap it.
    return structlog.PrintLogger(file=sys.stderr)


def configure_logging(settings: Settings) -> None:
    """Route structlog and stdlib logging to stderr in the configured format."""
    level = getattr(logging, settings.log_level)
    renderer: structlog.typing.Processor
    if settings.log_format == "json":
        renderer = structlog.processors.JSONRenderer()
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=False)

    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )
    logging.basicConfig(level=max(level, logging.WARNING), stream=sys.stderr)
    # The OpenSearch client logs each failed request with a traceback; the
    # store layer logs its own event for every failure it handles.
    logging.getLogger("opensearch").setLevel(logging.ERROR)
    # The trace logger writes every request body, search text and candidate
    # documents included, so it stays off at every log level.
    logging.getLogger("opensearchpy.trace").setLevel(logging.CRITICAL + 1)
    logging.getLogger("urllib3").setLevel(logging.WARNING)
