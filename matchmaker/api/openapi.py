"""The OpenAPI 3 document of API v1."""

from __future__ import annotations

from matchmaker import reference

from . import bp

_ERROR = {"$ref": "#/components/schemas/Error"}


def _errors(*codes: int) -> dict:
    return {
        str(code): {"description": "Error", "content": {"application/json": {"schema": _ERROR}}}
        for code in codes
    }


def _ok(description: str, status: str = "200") -> dict:
    return {status: {"description": description, "content": {"application/json": {}}}}


def _body(properties: dict[str, str]) -> dict:
    schema = {
        "type": "object",
        "properties": {name: {"type": kind} for name, kind in properties.items()},
        "required": [name for name in properties if name != "name"],
    }
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _filters() -> list[dict]:
    names = [
        "q",
        "kind",
        "country",
        "market",
        "family",
        "service",
        "language",
        "certification",
        "industry",
        "size",
    ]
    params = [{"name": n, "in": "query", "schema": {"type": "string"}} for n in names]
    params += [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {
            "name": "per_page",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 100},
        },
    ]
    return params


@bp.get("/openapi.json")
def openapi():
    org_id = [{"name": "org_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    return {
        "openapi": "3.0.3",
        "info": {"title": "matchmaker API", "version": "1"},
        "servers": [{"url": "/api"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "fields": {"type": "object"},
                            },
                        }
                    },
                },
                "OrganizationInput": {
                    "type": "object",
                    "properties": {
                        "kind": {"type": "string", "enum": list(reference.KINDS)},
                        "name": {"type": "string", "maxLength": 200},
                        "country": {"type": "string", "description": "ISO 3166 alpha-2"},
                        "city": {"type": "string"},
                        "website": {"type": "string"},
                        "founded": {"type": "integer"},
                        "size": {"type": "string", "enum": list(reference.SIZE_BANDS)},
                        "budget": {"type": "string", "enum": list(reference.BUDGET_BANDS)},
                        "services": {"type": "array", "items": {"type": "string"}},
                        "target_markets": {"type": "array", "items": {"type": "string"}},
                        "languages": {"type": "array", "items": {"type": "string"}},
                        "certifications": {"type": "array", "items": {"type": "string"}},
                        "industries": {"type": "array", "items": {"type": "string"}},
                        "visibility": {"type": "string", "enum": list(reference.VISIBILITIES)},
                        "description": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                        },
                    },
                },
            },
        },
        "security": [{"bearer": []}, {}],
        "paths": {
            "/v1/auth/tokens": {
                "post": {
                    "summary": "Create an API token",
                    "requestBody": _body(
                        {"email": "string", "password": "string", "name": "string"}
                    ),
                    "responses": {**_ok("Token", "201"), **_errors(400, 401, 415, 422)},
                },
            },
            "/v1/organizations": {
                "get": {
                    "summary": "Search and filter organizations",
                    "parameters": _filters(),
                    "responses": {**_ok("A page with facets"), **_errors(422, 503)},
                },
                "post": {
                    "summary": "Create an organization",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/OrganizationInput"}
                            }
                        }
                    },
                    "responses": {**_ok("Created", "201"), **_errors(400, 401, 403, 415, 422)},
                },
            },
            "/v1/organizations/{org_id}": {
                "parameters": org_id,
                "get": {
                    "summary": "One organization",
                    "responses": {**_ok("Organization"), **_errors(401, 404)},
                },
                "patch": {
                    "summary": "Change some fields",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/OrganizationInput"}
                            }
                        }
                    },
                    "responses": {**_ok("Organization"), **_errors(400, 401, 403, 404, 415, 422)},
                },
                "delete": {
                    "summary": "Delete",
                    "responses": {"204": {"description": "Deleted"}, **_errors(401, 403, 404)},
                },
            },
            "/v1/organizations/{org_id}/recommendations": {
                "parameters": org_id,
                "get": {
                    "summary": "Recommended partners with reasons",
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                        }
                    ],
                    "responses": {**_ok("Suggestions"), **_errors(404, 422)},
                },
            },
            "/v1/organizations/{org_id}/verification": {
                "parameters": org_id,
                "put": {
                    "summary": "Verify or unverify (administrators)",
                    "requestBody": _body({"verified": "boolean"}),
                    "responses": {**_ok("Organization"), **_errors(400, 401, 403, 404, 415, 422)},
                },
            },
            "/v1/organizations/{org_id}/saved": {
                "parameters": org_id,
                "post": {
                    "summary": "Save a partner",
                    "requestBody": _body({"organization_id": "integer"}),
                    "responses": {**_ok("Saved", "201"), **_errors(400, 401, 403, 404, 422)},
                },
            },
            "/v1/organizations/{org_id}/dismissed": {
                "parameters": org_id,
                "post": {
                    "summary": "Dismiss a suggestion",
                    "requestBody": _body({"organization_id": "integer"}),
                    "responses": {**_ok("Dismissed", "201"), **_errors(400, 401, 403, 404, 422)},
                },
            },
        },
    }
