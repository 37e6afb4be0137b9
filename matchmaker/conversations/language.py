"""Which language a message is in: chosen by its author, else guessed from its script."""

from __future__ import annotations

from matchmaker import reference

# Scripts that name one of the site's languages well enough (Latin scripts do not).
_SCRIPTS = (
    ("zh", ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))),
    (
        "ar",
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    ),
    ("ru", ((0x0400, 0x04FF), (0x0500, 0x052F))),
)


def _script_of(char: str) -> str | None:
    point = ord(char)
    for language, ranges in _SCRIPTS:
        if any(low <= point <= high for low, high in ranges):
            return language
    return None


def detect_language(text: str, fallback: str) -> str:
    """Han → zh, Arabic → ar, Cyrillic → ru when that script holds most letters; else fallback.

    ``fallback`` is the author's locale (``zh_Hans`` counts as ``zh``).
    """
    counts: dict[str, int] = {}
    letters = 0
    for char in text:
        if not char.isalpha():
            continue
        letters += 1
        script = _script_of(char)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    if counts:
        language, count = max(counts.items(), key=lambda item: item[1])
        # Han characters carry a word each: a few among Latin letters already decide.
        if count * (3 if language == "zh" else 1) >= letters / 2:
            return language
    code = (fallback or "en").split("_")[0].split("-")[0].lower()
    return code if code in reference.LANGUAGE_CODES else "en"
