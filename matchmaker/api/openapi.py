"""The OpenAPI 3.1 document, generated from the declared operations and their models."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from flask import current_app
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from .schemas.common import MAX_ID, Error
from .spec import OPERATIONS, Operation, operation

REF = "#/components/schemas/{model}"
# No text may hold a NUL character (the server refuses it with 400; PostgreSQL cannot store it).
NO_NUL = "^[^\\u0000]*$"
_STATUS_TEXT = {
    400: "The request is malformed (not JSON, not an object, text that is not valid "
    "Unicode, a NUL character).",
    401: "No valid credentials: sign in, or send a working bearer token. Carries WWW-Authenticate.",
    403: "Signed in, but not allowed to do this.",
    404: "No such resource, or not visible to this reader.",
    405: "The path does not take this method (see the Allow header).",
    409: "Conflicts with the current state (taken, duplicate, in use).",
    413: "The body is larger than 1 MB.",
    415: "The body is not JSON (send Content-Type: application/json).",
    422: "Validation failed: `error.fields` says which field and why.",
    429: "Too many attempts: wait and try again.",
    500: "An error on matchmaker's side.",
    503: "A backing service (search) is unavailable: try again shortly.",
}
DESCRIPTION = """\
JSON API of matchmaker, the platform of the service-outsourcing trade: providers and
buyers, their profiles, search, recommendations, and (next) trade fairs.

* **Authentication**: `POST /v1/auth/tokens` with an account's e-mail and password gives a
  bearer token; send it as `Authorization: Bearer <token>`. A token that does not work is
  refused with 401 on every operation. Browsers may use their session cookie instead.
* **Errors** all have one shape, `{"error": {"code", "message", "fields"}}`, with messages
  in the reader's language (`?lang=` or Accept-Language).
* **Codes** are public vocabularies: ISO 3166 countries, ISO 639-1 languages, service
  categories (`ito.software_rd`, …), market groups. `GET /v1/reference/{code_set}` lists
  them with labels.
* **Lists** are paged: `page`, `per_page` (1–100), `total`, `has_more` and a `Link` header.
* **Times** are ISO 8601 with an offset. Ids are never reused.
"""


def _path_schema(rule: str, name: str) -> dict:
    match = re.search(rf"<(\w+)(?:\(([^)]*)\))?:{name}>", rule)
    converter, args = (match.group(1), match.group(2)) if match else ("string", None)
    if converter == "id":
        return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    if converter == "any":
        return {"type": "string", "enum": [a.strip() for a in (args or "").split(",")]}
    return {"type": "string"}


def _query_parameters(model: type[BaseModel], schemas: dict) -> list[dict]:
    schema = model.model_json_schema(ref_template=REF)
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = dict(prop)
        description = prop.pop("description", "")
        prop.pop("title", None)
        # list | None becomes a plain array: absent means "no filter".
        variants = prop.pop("anyOf", None)
        if variants:
            prop.update(next(v for v in variants if v.get("type") != "null"))
        prop = _drop_null_defaults(prop)
        param = {"name": name, "in": "query", "description": description, "schema": prop}
        if prop.get("type") == "array":
            param.update(style="form", explode=True)
        params.append(param)
    return params


def _lang_parameter() -> dict:
    return {
        "name": "lang",
        "in": "query",
        "description": "Language of messages and labels: en, zh_Hans, ar, ru, es, fr (a BCP 47 "
        "tag such as zh-CN works too; unknown ones are ignored). Default: Accept-Language.",
        "schema": {"type": "string", "pattern": NO_NUL},
    }


def _security(op: Operation) -> list[dict]:
    if op.auth == "public":
        return []
    signed_in = [{"bearer": []}, {"session": []}]
    return signed_in if op.auth == "user" else [{}, *signed_in]


def _responses(op: Operation) -> dict:
    responses: dict[str, Any] = {}
    success: dict[str, Any] = {"description": op.summary}
    if op.response is not None:
        ref = {"$ref": REF.format(model=op.response.__name__)}
        success["content"] = {op.content_type: {"schema": ref}}
    elif op.status != 204:
        kind = "object" if op.content_type == "application/json" else "string"
        success["content"] = {op.content_type: {"schema": {"type": kind}}}
    if op.response_headers:
        success["headers"] = op.response_headers
    if op.links:
        success["links"] = op.links
    responses[str(op.status)] = success
    for code in op.also:
        responses[str(code)] = success
    for status in op.all_errors:
        error = {
            "description": _STATUS_TEXT.get(status, "Error"),
            "content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}},
        }
        if status == 429:
            error["headers"] = {
                "Retry-After": {
                    "description": "Seconds until another attempt may pass.",
                    "schema": {"type": "integer", "minimum": 1},
                }
            }
        if status == 401:
            error["headers"] = {
                "WWW-Authenticate": {
                    "description": 'Bearer realm="matchmaker"',
                    "schema": {"type": "string"},
                    "required": True,
                }
            }
        if status == 405:
            error["headers"] = {
                "Allow": {
                    "description": "The methods this path takes.",
                    "schema": {"type": "string"},
                }
            }
        responses[str(status)] = error
    return responses


def _operation(op: Operation, schemas: dict) -> dict:
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": text,
            "schema": _path_schema(op.rule, name),
        }
        for name, text in op.path_params.items()
    ]
    if op.query is not None:
        parameters += _query_parameters(op.query, schemas)
    parameters.append(_lang_parameter())
    body: dict[str, Any] = {
        "operationId": op.operation_id,
        "tags": [op.tag],
        "summary": op.summary,
        "description": op.description or op.summary,
        "parameters": parameters,
        "security": _security(op),
        "responses": _responses(op),
    }
    if op.body is not None:
        schema_ref = {"$ref": REF.format(model=op.body.__name__)}
        content = {"schema": schema_ref}
        examples = (op.body.model_config.get("json_schema_extra") or {}).get("examples")
        if examples:
            content["example"] = examples[0]
        body["requestBody"] = {"required": True, "content": {"application/json": content}}
    return body


def _drop_null_defaults(node: Any) -> Any:
    """``default: null`` on a field that may not be null only means "not given": drop it.

    Also says of every free text that it holds no NUL character.
    """
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"enum", "pattern", "format"} & node.keys():
            node = {**node, "pattern": NO_NUL}
        if node.get("default", 0) is None and not any(
            v.get("type") == "null" for v in node.get("anyOf", [])
        ):
            node = {k: v for k, v in node.items() if k != "default"}
        return {k: _drop_null_defaults(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_drop_null_defaults(v) for v in node]
    return node


@cache
def _components() -> dict:
    models: list[tuple[type[BaseModel], str]] = [(Error, "serialization")]
    for op in OPERATIONS:
        if op.body is not None:
            models.append((op.body, "validation"))
        if op.response is not None:
            models.append((op.response, "serialization"))
    _keys, schema = models_json_schema(models, ref_template=REF)
    return _drop_null_defaults(schema.get("$defs", {}))


def build_document(server_url: str) -> dict:
    """The whole OpenAPI document of API v1."""
    schemas = dict(_components())
    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "matchmaker API",
            "version": "1",
            "description": DESCRIPTION,
            "license": {"name": "Proprietary", "identifier": "LicenseRef-matchmaker"},
        },
        "servers": [{"url": server_url.rstrip("/") + "/api", "description": "This site"}],
        "tags": [
            {"name": "auth", "description": "API tokens and the signed-in account."},
            {"name": "organizations", "description": "Provider and buyer profiles; search."},
            {"name": "matching", "description": "Recommendations, saved and dismissed partners."},
            {"name": "exhibitions", "description": "Trade fairs: agenda, registrations, booths."},
            {"name": "meetings", "description": "Slots, availability and B2B meetings at fairs."},
            {
                "name": "scheduling",
                "description": "Meeting preferences, caps and the organizer's scheduler.",
            },
            {"name": "calendars", "description": "iCalendar downloads and subscription feeds."},
            {
                "name": "conversations",
                "description": "Inquiries and conversations between organizations.",
            },
            {"name": "notifications", "description": "In-app notifications."},
            {"name": "reference", "description": "Code sets with labels."},
            {"name": "meta", "description": "This document."},
        ],
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `POST /v1/auth/tokens`, sent as "
                    "`Authorization: Bearer <token>`. "
                    "Revocable with `DELETE /v1/auth/tokens/{id}`.",
                },
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "The browser's session cookie after signing in on the site.",
                },
            },
        },
        "paths": paths,
    }


@operation(
    "get",
    "/openapi.json",
    operation_id="getOpenApiDocument",
    tag="meta",
    summary="This OpenAPI document",
    description="Generated from the server's own declarations of every operation.",
    auth="public",
)
def openapi():
    return build_document(current_app.config["PUBLIC_URL"])
