import Hummingbird

/// The hand-written OpenAPI 3.1 description of every endpoint and error, served at `/openapi.json`.
enum OpenAPIDocument {
    static let bytes = ByteBuffer(string: text)

    static let text = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "adrecs API",
        "version": "1.0.0",
        "description": "Daily product recommendations per advertiser (models TopCTR and TopProduct), served from an in-memory snapshot of the last 7 committed days. Every path also works with a trailing slash. Every path answers GET and HEAD; any other method gets 405 method_not_allowed with Allow: GET, HEAD."
      },
      "paths": {
        "/recommendations/{advertiser}/{model}": {
          "get": {
            "operationId": "getRecommendations",
            "summary": "The list of one advertiser and model for the latest committed date, or ?date=",
            "parameters": [
              {"$ref": "#/components/parameters/Advertiser"},
              {"name": "model", "in": "path", "required": true,
               "description": "TopCTR or TopProduct, ASCII case-insensitive; top_ctr and top_product are accepted too (percent-decoded like every path segment)",
               "schema": {"type": "string", "pattern": "^[Tt][Oo][Pp]_?([Cc][Tt][Rr]|[Pp][Rr][Oo][Dd][Uu][Cc][Tt])$"}},
              {"name": "date", "in": "query", "required": false,
               "description": "a held date YYYY-MM-DD (default: the latest); a calendar date not held is 404 date_not_found",
               "schema": {"$ref": "#/components/schemas/Date"}},
              {"$ref": "#/components/parameters/IfNoneMatch"}
            ],
            "responses": {
              "200": {"description": "the list, in rank order (empty when the advertiser has none for that model and date)",
                      "headers": {"ETag": {"$ref": "#/components/headers/ETag"}, "Cache-Control": {"$ref": "#/components/headers/CacheControl"}},
                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Recommendations"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "500": {"$ref": "#/components/responses/InternalError"},
              "503": {"$ref": "#/components/responses/NotReady"}
            }
          }
        },
        "/history/{advertiser}": {
          "get": {
            "operationId": "getHistory",
            "summary": "Both models' lists for every committed day of the last 7 days, newest first",
            "parameters": [{"$ref": "#/components/parameters/Advertiser"}, {"$ref": "#/components/parameters/IfNoneMatch"}],
            "responses": {
              "200": {"description": "the history",
                      "headers": {"ETag": {"$ref": "#/components/headers/ETag"}, "Cache-Control": {"$ref": "#/components/headers/CacheControl"}},
                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/History"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "500": {"$ref": "#/components/responses/InternalError"},
              "503": {"$ref": "#/components/responses/NotReady"}
            }
          }
        },
        "/stats": {
          "get": {
            "operationId": "getStats",
            "summary": "A summary of the held days, computed when they were loaded",
            "parameters": [{"$ref": "#/components/parameters/IfNoneMatch"}],
            "responses": {
              "200": {"description": "the summary",
                      "headers": {"ETag": {"$ref": "#/components/headers/ETag"}, "Cache-Control": {"$ref": "#/components/headers/CacheControl"}},
                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Stats"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "500": {"$ref": "#/components/responses/InternalError"},
              "503": {"$ref": "#/components/responses/NotReady"}
            }
          }
        },
        "/health": {
          "get": {
            "operationId": "getHealth",
            "summary": "The process is alive, and which build it runs",
            "responses": {
              "200": {"description": "alive",
                      "content": {"application/json": {"schema": {"type": "object", "required": ["status", "version", "commit"],
                        "properties": {"status": {"const": "ok"}, "version": {"type": "string"},
                                       "commit": {"type": "string", "description": "the git commit the binary was built from"}}}}}}
            }
          }
        },
        "/ready": {
          "get": {
            "operationId": "getReady",
            "summary": "A snapshot is loaded",
            "responses": {
              "200": {"description": "ready",
                      "content": {"application/json": {"schema": {"type": "object",
                        "required": ["status", "latest_date", "run_id", "days"],
                        "properties": {"status": {"const": "ready"}, "latest_date": {"$ref": "#/components/schemas/Date"},
                                       "run_id": {"type": "string"}, "days": {"type": "integer", "minimum": 1}}}}}},
              "503": {"$ref": "#/components/responses/NotReady"}
            }
          }
        },
        "/metrics": {
          "get": {
            "operationId": "getMetrics",
            "summary": "Prometheus text exposition: requests and latency per route and status, snapshot age and size, reloads",
            "responses": {"200": {"description": "metrics", "content": {"text/plain": {"schema": {"type": "string"}}}}}
          }
        },
        "/openapi.json": {
          "get": {
            "operationId": "getOpenAPI",
            "summary": "This document",
            "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}
          }
        }
      },
      "components": {
        "parameters": {
          "Advertiser": {"name": "advertiser", "in": "path", "required": true,
                         "description": "the advertiser id exactly as in the input logs: any text of 1 to 256 characters (Unicode code points, as JSON Schema counts them), percent-encoded as UTF-8 in the path (RFC 3986: every byte but A-Z a-z 0-9 - . _ ~ as %XX, so / is %2F and a space %20; + stands for itself). Ids held are at most 256 UTF-8 bytes (ingest quarantines longer ones), so every held id fits; one that fits but is not held gets 404 unknown_advertiser. A malformed escape or bytes that are not UTF-8 get 400 invalid_advertiser_id.",
                         "schema": {"type": "string", "minLength": 1, "maxLength": 256}},
          "IfNoneMatch": {"name": "If-None-Match", "in": "header", "required": false,
                          "description": "an ETag from an earlier response; 304 when it is still current",
                          "schema": {"type": "string"}}
        },
        "headers": {
          "ETag": {"description": "changes when a day is committed", "schema": {"type": "string"}},
          "CacheControl": {"description": "public, no-cache: revalidate with If-None-Match", "schema": {"type": "string"}}
        },
        "responses": {
          "NotModified": {"description": "the ETag in If-None-Match is current",
                          "headers": {"ETag": {"schema": {"type": "string"}}}},
          "BadRequest": {"description": "invalid_advertiser_id, invalid_model (the message names the valid models) or invalid_date",
                         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "NotFound": {"description": "unknown_advertiser, date_not_found, or not_found for an unknown path",
                       "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "InternalError": {"description": "internal_error; the X-Request-Id header names the logged error",
                            "headers": {"X-Request-Id": {"schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "NotReady": {"description": "not_ready: no data loaded yet",
                       "headers": {"Retry-After": {"description": "seconds", "schema": {"type": "integer"}}},
                       "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        },
        "schemas": {
          "Date": {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
          "Model": {"enum": ["TopCTR", "TopProduct"]},
          "Error": {
            "type": "object", "required": ["error"], "additionalProperties": false,
            "properties": {"error": {"type": "object", "required": ["code", "message"], "additionalProperties": false,
              "properties": {"code": {"enum": ["invalid_advertiser_id", "invalid_model", "invalid_date", "unknown_advertiser",
                                               "date_not_found", "not_found", "method_not_allowed", "bad_request",
                                               "not_ready", "internal_error"]},
                             "message": {"type": "string"}}}}
          },
          "TopCTRItem": {
            "type": "object", "required": ["rank", "product_id", "impressions", "clicks", "ctr"],
            "properties": {"rank": {"type": "integer", "minimum": 1, "maximum": 20}, "product_id": {"type": "string"},
                           "impressions": {"type": ["integer", "null"]}, "clicks": {"type": ["integer", "null"]},
                           "ctr": {"type": ["number", "null"]}}
          },
          "TopProductItem": {
            "type": "object", "required": ["rank", "product_id", "views"],
            "properties": {"rank": {"type": "integer", "minimum": 1, "maximum": 20}, "product_id": {"type": "string"},
                           "views": {"type": ["integer", "null"]}}
          },
          "Recommendations": {
            "type": "object", "required": ["advertiser_id", "model", "date", "items"],
            "properties": {
              "advertiser_id": {"type": "string"}, "model": {"$ref": "#/components/schemas/Model"},
              "date": {"$ref": "#/components/schemas/Date"},
              "items": {"type": "array", "items": {"anyOf": [{"$ref": "#/components/schemas/TopCTRItem"},
                                                             {"$ref": "#/components/schemas/TopProductItem"}]}}
            }
          },
          "History": {
            "type": "object", "required": ["advertiser_id", "days"],
            "properties": {
              "advertiser_id": {"type": "string"},
              "days": {"type": "array", "maxItems": 7, "items": {
                "type": "object", "required": ["date", "run_id", "models"],
                "properties": {"date": {"$ref": "#/components/schemas/Date"}, "run_id": {"type": "string"},
                  "models": {"type": "object", "required": ["TopCTR", "TopProduct"],
                    "properties": {"TopCTR": {"type": "array", "items": {"$ref": "#/components/schemas/TopCTRItem"}},
                                   "TopProduct": {"type": "array", "items": {"$ref": "#/components/schemas/TopProductItem"}}}}}}}
            }
          },
          "AdvertiserValue": {"type": "object", "required": ["advertiser_id", "value"],
                              "properties": {"advertiser_id": {"type": "string"}, "value": {"type": "number"}}},
          "Stats": {
            "type": "object",
            "required": ["freshness", "dates", "active_advertisers", "advertisers_with_recommendations", "models", "agreement", "churn"],
            "properties": {
              "freshness": {"type": "object", "required": ["latest_date", "committed_at", "run_id", "snapshot_loaded_at"],
                            "properties": {"latest_date": {"$ref": "#/components/schemas/Date"},
                                           "committed_at": {"type": "string", "format": "date-time"},
                                           "run_id": {"type": "string"},
                                           "snapshot_loaded_at": {"type": "string", "format": "date-time"}}},
              "dates": {"type": "array", "items": {"$ref": "#/components/schemas/Date"}},
              "active_advertisers": {"type": "integer"},
              "advertisers_with_recommendations": {"type": "integer"},
              "models": {"type": "object", "additionalProperties": {"type": "object", "required": ["rows", "advertisers"],
                         "properties": {"rows": {"type": "integer"}, "advertisers": {"type": "integer"}}}},
              "agreement": {"type": "object", "required": ["definition", "advertisers"],
                            "properties": {"definition": {"type": "string"}, "advertisers": {"type": "integer"},
                                           "mean": {"type": "number"},
                                           "lowest": {"$ref": "#/components/schemas/AdvertiserValue"},
                                           "highest": {"$ref": "#/components/schemas/AdvertiserValue"}}},
              "churn": {"type": "object", "required": ["definition", "to", "most_changed", "mean_changed"],
                        "properties": {"definition": {"type": "string"}, "from": {"$ref": "#/components/schemas/Date"},
                                       "to": {"$ref": "#/components/schemas/Date"},
                                       "most_changed": {"type": "object", "additionalProperties": {"type": "array",
                                         "items": {"$ref": "#/components/schemas/AdvertiserValue"}}},
                                       "mean_changed": {"type": "object", "additionalProperties": {"type": ["number", "null"]}}}}
            }
          }
        }
      }
    }
    """#
}
