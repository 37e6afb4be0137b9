"""Code sets with labels in the reader's language."""

from __future__ import annotations

from pydantic import Field

from .common import Out


class CodeLabel(Out):
    code: str = Field(
        description="The code the API takes and returns.", examples=["ito.software_rd"]
    )
    label: str = Field(description="Its name in the requested language.")
    group: str | None = Field(
        None,
        description="For services: the family (ito, bpo, kpo); for countries: their market "
        "groups joined with commas.",
    )


class CodeList(Out):
    items: list[CodeLabel] = Field(description="Every code of the set, sorted by label.")
