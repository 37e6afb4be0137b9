"""Reference code sets (countries, services, ...) labelled in the requested language."""

from __future__ import annotations

from matchmaker import reference
from matchmaker.reference import labels

from .schemas.reference import CodeLabel, CodeList
from .spec import operation

CODE_SETS = ("countries", "services", "languages", "certifications", "industries", "markets")


def _items(code_set: str) -> list[CodeLabel]:
    if code_set == "countries":
        return [
            CodeLabel(code=code, label=name, group=",".join(reference.market_groups(code)))
            for code, name in labels.sorted_countries()
        ]
    if code_set == "services":
        return [
            CodeLabel(code=s.code, label=str(labels.SERVICE_LABELS[s.code]), group=s.family)
            for s in reference.services()
        ]
    if code_set == "languages":
        return [
            CodeLabel(code=code, label=name)
            for code, name in labels.sorted_languages(reference.LANGUAGE_CODES)
        ]
    table = {
        "certifications": labels.CERTIFICATION_LABELS,
        "industries": labels.INDUSTRY_LABELS,
        "markets": labels.MARKET_LABELS,
    }[code_set]
    return [CodeLabel(code=code, label=str(label)) for code, label in table.items()]


@operation(
    "get",
    f"/v1/reference/<any({', '.join(CODE_SETS)}):code_set>",
    operation_id="listCodes",
    tag="reference",
    summary="A code set with labels",
    description="The codes the API accepts for one vocabulary, labelled in the language "
    "asked for with `?lang=` or Accept-Language (en, zh_Hans, ar, ru, es, fr).",
    auth="public",
    response=CodeList,
    path_params={"code_set": "Which vocabulary."},
)
def list_codes(code_set: str):
    return CodeList(items=_items(code_set))
