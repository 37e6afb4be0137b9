"""One pattern for every API operation: a decorator that declares it once.

``@operation(...)`` registers the Flask route, validates the query and the JSON body with
pydantic models, checks authentication, turns the returned model into JSON, and records
everything the OpenAPI document needs (see openapi.py): the document is generated from
the same declarations that run, so it cannot drift from the server.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, get_args, get_origin

from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError

from matchmaker.errors import DomainError, ValidationFailed

from . import bp, require_user

Auth = Literal["public", "optional", "user"]
# Errors any operation can answer: malformed request, bad or revoked token, server trouble.
COMMON_ERRORS = (400, 401, 500)


@dataclass
class Operation:
    method: str
    rule: str
    operation_id: str
    tag: str
    summary: str
    description: str
    auth: Auth
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    errors: tuple[int, ...]
    path_params: dict[str, str]
    links: dict[str, dict] = field(default_factory=dict)
    response_headers: dict[str, dict] = field(default_factory=dict)
    content_type: str = "application/json"
    # Other success statuses with the same body (200 when a create finds the row there).
    also: tuple[int, ...] = ()

    @property
    def path(self) -> str:
        """The rule in OpenAPI's form: ``/v1/organizations/{org_id}``."""
        return re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", self.rule)

    @property
    def all_errors(self) -> list[int]:
        implied = set(COMMON_ERRORS)
        if self.body is not None:
            implied |= {413, 415, 422}
        if self.query is not None:
            implied.add(422)
        if self.auth == "user":
            implied.add(403)
        if self.path_params:
            implied.add(404)
        return sorted(implied | set(self.errors))


OPERATIONS: list[Operation] = []


class _UnsupportedMedia(DomainError):
    status = 415
    code = "unsupported_media_type"


class _BadBody(DomainError):
    status = 400
    code = "bad_request"


def operation(
    method: str,
    rule: str,
    *,
    operation_id: str,
    tag: str,
    summary: str,
    description: str = "",
    auth: Auth = "optional",
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    errors: tuple[int, ...] = (),
    path_params: dict[str, str] | None = None,
    links: dict[str, dict] | None = None,
    response_headers: dict[str, dict] | None = None,
    content_type: str = "application/json",
    endpoint: str | None = None,
    also: tuple[int, ...] = (),
) -> Callable:
    """Declare and register one API operation (see the module docstring)."""

    def decorate(view: Callable) -> Callable:
        op = Operation(
            method.upper(),
            rule,
            operation_id,
            tag,
            summary,
            description,
            auth,
            body,
            query,
            response,
            status,
            errors,
            path_params or {},
            links or {},
            response_headers or {},
            content_type,
            also,
        )

        @functools.wraps(view)
        def run(**path: Any):
            if auth == "user":
                require_user()  # before reading anything else: no token, no details
            kwargs: dict[str, Any] = {}
            if query is not None:
                kwargs["query"] = parse_query(query)
            if body is not None:
                kwargs["body"] = parse_body(body)
            return _render(view(**path, **kwargs), status)

        bp.add_url_rule(
            rule, endpoint=endpoint or view.__name__, view_func=run, methods=[op.method]
        )
        OPERATIONS.append(op)
        return run

    return decorate


def _render(result: Any, status: int):
    headers: dict[str, str] = {}
    if isinstance(result, tuple):
        result, headers = result
    if result is None:
        return "", 204, headers
    if isinstance(result, BaseModel):
        payload = json.dumps(result.model_dump(mode="json"), ensure_ascii=False)
        return payload, status, {"Content-Type": "application/json", **headers}
    return result  # a ready response (e.g. text/calendar)


# --- request parsing ---------------------------------------------------------------


def parse_body(model: type[BaseModel]) -> BaseModel:
    """The JSON body validated by ``model``, or a 4xx that says what is wrong."""
    if not request.is_json:
        raise _UnsupportedMedia(_("Send JSON with the header Content-Type: application/json."))
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise _BadBody(_("The body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise _BadBody(_("The body must be a JSON object."))
    try:
        # JSON text can escape a lone surrogate ("\ud800"), which no database can store.
        raw.decode("utf-8")
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeError:
        raise _BadBody(_("The body holds text that is not valid Unicode.")) from None
    try:
        return model.model_validate_json(raw, strict=True)
    except ValidationError as error:
        raise ValidationFailed(fields=field_errors(error)) from None


def _is_list(annotation: Any) -> bool:
    if get_origin(annotation) is list:
        return True
    return any(get_origin(arg) is list for arg in get_args(annotation))


def parse_query(model: type[BaseModel]) -> BaseModel:
    """The query string validated by ``model``; list fields repeat or take commas (OR)."""
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name not in request.args:
            continue
        if _is_list(info.annotation):
            # An empty value is not a code: refused, not read as "no filter".
            data[name] = [v for raw in request.args.getlist(name) for v in raw.split(",")]
        else:
            data[name] = request.args[name]
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed(
            _("Some query parameters are not valid."), fields=field_errors(error)
        ) from None


# --- pydantic errors in our words and languages ------------------------------------


def field_errors(error: ValidationError) -> dict[str, str]:
    """Map pydantic's errors to ``{field: message}`` in the reader's language."""
    fields: dict[str, str] = {}
    for item in error.errors(include_url=False):
        name = ".".join(str(part) for part in item["loc"] if not isinstance(part, int))
        fields.setdefault(name or "body", _message(item))
    return fields


def _message(item: dict) -> str:
    kind, ctx = item["type"], item.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind in ("string_type", "string_unicode"):
        return _("Must be text.")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("Must be a whole number.")
    if kind in ("bool_type", "bool_parsing"):
        return _("Send true or false.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Must be a list.")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Must be an object.")
    if kind == "string_too_long":
        return _("Use at most %(n)d characters.", n=ctx.get("max_length", 0))
    if kind == "string_too_short":
        return _("This field is required.")
    if kind == "too_long":
        return _("Give at most %(n)d items.", n=ctx.get("max_length", 0))
    if kind in ("enum", "literal_error"):
        return _("Unknown value: %(value)s.", value=str(item.get("input"))[:40])
    if kind in ("greater_than_equal", "greater_than"):
        return _("Must be at least %(n)s.", n=ctx.get("ge", ctx.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return _("Must be at most %(n)s.", n=ctx.get("le", ctx.get("lt")))
    if kind.startswith(("datetime", "timezone")):
        return _("Enter a date and time with its offset, e.g. 2027-05-20T09:00:00+08:00.")
    if kind.startswith("date"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind.startswith("time"):
        return _("Enter a time as HH:MM.")
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    return _("Not valid.")
