"""Store locations: a file path or a ``postgresql://`` URL, and URLs without their password."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

SCHEMES = ("postgresql://", "postgres://")


def is_url(text: str) -> bool:
    """Whether ``text`` names a PostgreSQL database rather than a file.

    Examples
    --------
    >>> is_url("postgresql://ana@db.example.org/labels"), is_url("labels.db")
    (True, False)
    """
    return text.lower().startswith(SCHEMES)


def masked(url: str) -> str:
    """``url`` with its password replaced by ``***`` (for messages and ``repr``).

    Examples
    --------
    >>> masked("postgresql://ana:s3cret@127.0.0.1:5432/labels")
    'postgresql://ana:***@127.0.0.1:5432/labels'
    >>> masked("postgresql://ana@127.0.0.1/labels")
    'postgresql://ana@127.0.0.1/labels'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user, _, host = parts.netloc.rpartition("@")
    name = user.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{name}:***@{host}"))


def scrub(text: str, url: str) -> str:
    """``text`` (an error message) with the URL's password, if any, replaced by ``***``."""
    password = urlsplit(url).password
    return text.replace(password, "***") if password else text
