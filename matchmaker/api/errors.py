"""The API's one error format: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from flask import jsonify

from matchmaker.errors import DomainError


def error_response(status: int, code: str, message: object, fields: dict | None = None):
    body = {
        "error": {
            "code": code,
            "message": str(message),
            "fields": {name: str(text) for name, text in (fields or {}).items()},
        }
    }
    return jsonify(body), status


def domain_error_response(error: DomainError):
    return error_response(error.status, error.code, error.message, error.fields)
