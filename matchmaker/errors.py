"""Domain errors raised by services; views show them, the API maps them to status codes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    status = 400
    code = "bad_request"
    default_message = _l("The request could not be processed.")

    def __init__(self, message: object = None, fields: dict[str, object] | None = None):
        self.message = message if message is not None else self.default_message
        self.fields = fields or {}
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"
    default_message = _l("Some fields are not valid.")


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    default_message = _l("Sign in first.")


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"
    default_message = _l("You may not do this.")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _l("Not found.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _l("This conflicts with existing data.")


class TooManyRequests(DomainError):
    status = 429
    code = "too_many_requests"
    default_message = _l("Too many requests. Wait a moment and try again.")

    def __init__(
        self,
        message: object = None,
        fields: dict[str, object] | None = None,
        *,
        retry_after: int | None = None,
    ):
        super().__init__(message, fields)
        # Seconds until a new attempt may pass: sent as the Retry-After header.
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}
