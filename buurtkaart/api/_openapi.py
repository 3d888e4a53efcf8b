"""The OpenAPI 3.1 description of the public API (texts from the Dutch catalogue).

>>> doc = openapi_document()
>>> sorted(doc["paths"])
['/api/v1/groep', '/api/v1/groepen', '/api/v1/straten']
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from buurtkaart.assignment.find import MAX_QUERY_CHARS
from buurtkaart.texts import t
from buurtkaart.vocabulary import COVERAGE_STATUSES

_ERROR = {"type": "object", "properties": {"error": {"type": "string"},
                                           "problems": {"type": "array", "items": {"type": "string"}}}}


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    """The description served at ``/api/v1/openapi.json``."""
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    limited = {"description": t("api.doc.rate_limited"), **error}
    return {
        "openapi": "3.1.0",
        "info": {"title": t("api.doc.title"), "version": "1", "description": t("api.doc.description")},
        "paths": {
            "/api/v1/groep": {"get": {
                "summary": t("api.doc.groep"),
                "parameters": [{"name": "adres", "in": "query", "required": True,
                                "description": t("api.doc.adres"),
                                "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS}}],
                "responses": {
                    "200": {"description": t("api.doc.groep_ok"),
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Answer"}}}},
                    "400": {"description": t("api.doc.bad_query"), **error},
                    "429": limited,
                },
            }},
            "/api/v1/groepen": {"get": {
                "summary": t("api.doc.groepen"),
                "responses": {"200": {"description": t("api.doc.groepen_ok"),
                                      "content": {"application/geo+json": {"schema": {"type": "object"}}}},
                              "429": limited},
            }},
            "/api/v1/straten": {"get": {
                "summary": t("api.doc.straten"),
                "responses": {"200": {"description": t("api.doc.straten_ok"),
                                      "content": {"application/geo+json": {"schema": {"type": "object"}}}},
                              "429": limited},
            }},
        },
        "components": {"schemas": {
            "Error": _ERROR,
            "Answer": {"type": "object", "properties": {
                "address": {"type": "object", "description": t("api.doc.address")},
                "status": {"type": ["string", "null"], "description": t("api.doc.status"),
                           "enum": [*map(str, COVERAGE_STATUSES), None]},
                "groups": {"type": "array", "items": {"type": "object", "properties": {
                    "group_id": {"type": "string"}, "name": {"type": "string"}}}},
                "nearest": {"type": "array", "items": {"type": "object"}},
                "street": {"type": ["object", "null"], "description": t("api.doc.street")},
                "message": {"type": "string", "description": t("api.doc.message")},
                "fictional": {"type": "boolean"},
            }},
        }},
    }
