"""Small checks shared by views: where a redirect may go."""

from __future__ import annotations

from urllib.parse import urlsplit


def is_local_path(target: str | None) -> bool:
    """True for a path on this site only ("/organizations/3"), never for another host.

    Browsers drop tabs and newlines and read a backslash as a slash, so "/\\tevil.com"
    or "/\\evil.com" would leave the site: control characters and backslashes are refused.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
