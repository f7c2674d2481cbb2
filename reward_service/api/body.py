"""Fast request/response handling for large batches.

The scoring endpoints read the raw body and validate it with pydantic's JSON parser (in Rust), and
write responses with `model_dump_json`: several times faster than FastAPI's generic path for
multi-megabyte batches. Their OpenAPI schema is declared explicitly (see `openapi_body`).
"""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from reward_service.errors import RequestProblem, format_loc
from schemas import ErrorResponse

ModelT = TypeVar("ModelT", bound=BaseModel)

#: The error answers of the endpoints that read a body (their OpenAPI `responses`).
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorResponse, "description": "Missing or wrong API key"},
    408: {"model": ErrorResponse, "description": "The body was not received within the request timeout"},
    413: {"model": ErrorResponse, "description": "Too many items, too long a response, or too large a body"},
    422: {
        "model": ErrorResponse,
        "description": "Malformed request (invalid JSON, JSON nested too deep, wrong field); `detail[].loc` names "
        "the item and field",
    },
    503: {"model": ErrorResponse, "description": "Overloaded; retry after `Retry-After` seconds"},
    504: {"model": ErrorResponse, "description": "Not answered within the request timeout; retry (`Retry-After`)"},
}


class BodyInvalid(Exception):
    """A body that failed validation: one entry per problem, each naming its place."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors

    @property
    def message(self) -> str:
        first = self.errors[0]
        more = f" (and {len(self.errors) - 1} more problems)" if len(self.errors) > 1 else ""
        loc = first["loc"][1:] if first["loc"][:1] == ["body"] else first["loc"]
        return f"{format_loc(loc)}: {first['msg']}{more}"


async def read_body(request: Request) -> bytes:
    """The request body, refusing (413) anything over the configured size before reading it all."""
    limit: int = request.app.state.settings.max_body_bytes
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise RequestProblem(
            413, ("body",), f"request body of {declared} bytes exceeds the limit of {limit} bytes", "body_too_large"
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestProblem(413, ("body",), f"request body exceeds the limit of {limit} bytes", "body_too_large")
        chunks.append(chunk)
    return b"".join(chunks)


#: pydantic's JSON parser refuses nesting deeper than this (a 422, never a crash or a deep recursion).
MAX_JSON_DEPTH = 200


def _error(e: Any) -> dict[str, Any]:
    if e["type"] == "json_invalid" and "recursion limit" in e["msg"]:
        return {"loc": ["body"], "msg": f"JSON nested deeper than {MAX_JSON_DEPTH} levels", "type": "json_too_deep"}
    return {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]}


def parse_body(model: type[ModelT], body: bytes) -> ModelT:
    """Validate a JSON body strictly (as the OpenAPI schema says: `0` is not a boolean, `"1"` not a number).

    Problems come back as `BodyInvalid` (422), each with its place; no input text is echoed.
    """
    try:
        return model.model_validate_json(body, strict=True)
    except ValidationError as exc:
        errors = [_error(e) for e in exc.errors(include_url=False, include_input=False)[:50]]
        raise BodyInvalid(errors) from exc


def openapi_body(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` declaring `model` as the JSON request body (schema added by `app.openapi`)."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
        }
    }
