"""The JSON API for third parties (employers, other systems), plain Django views:

    GET /api/v1/certificates/verify?code=<22 characters>&name=<holder's name>
        200 {public fields}   404 {"detail": "not_found", ...}   400 missing parameter   429 rate limit
        405 {"detail": "method_not_allowed", ...} for any other method (a POST too: no CSRF page here)

Same rules as the lookup page (lookup.py): a wrong name and a wrong code give the same 404, the ID
number is masked, the same per-IP budget (settings.CERTIFICATE_LOOKUP_RATE), every call is logged.
Documented as OpenAPI 3 at /api/openapi.json and as a plain HTML page at /api/docs (no scripts)."""

import functools

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from portal import identifiers, ratelimit
from portal.fastlane import fast_lane
from portal.middleware import preset_header, put_header
from portal.notices import cite

from . import constants, lookup
from .lookup import Kind, Outcome
from .public_views import document_problem, guesses_spent_message, log, lookup_rate, over_limit

API_VERSION = "1.0.0"


_HEADERS = (
    preset_header("Cache-Control", "no-store"),
    preset_header("X-Robots-Tag", "noindex"),
    # Public, read-only, no credentials: any web page may call it (the rate limit is per address).
    preset_header("Access-Control-Allow-Origin", "*"),
)


# What JsonResponse(data, json_dumps_params={"ensure_ascii": False}) writes (json.dumps with Django's
# encoder), with one encoder kept per process instead of a new one for every answer (issue 42 item 1).
_ENCODER = DjangoJSONEncoder(ensure_ascii=False)


def _json(data: dict, status: int = 200) -> HttpResponse:
    response = HttpResponse(_ENCODER.encode(data), status=status, content_type="application/json")
    for header in _HEADERS:  # checked once per process (portal/middleware.py preset_header)
        put_header(response, header)
    return response


def json_get_only(view):
    """GET only, and every other method answered in JSON: 405 with ``Allow: GET`` (instead of Django's
    empty 405, or, for a POST, the CSRF page of a form). Exempt from the CSRF check, which would
    otherwise answer first: these views change nothing and read no session or cookie."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET":
            response = _json(
                {"detail": "method_not_allowed", "message": _("此接口只接受 GET 请求。")}, status=405
            )
            response["Allow"] = "GET"
            return response
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)


@fast_lane  # portal/fastlane.py: no session, user or CSRF token here
@json_get_only
def verify_certificate(request):
    code = request.GET.get("code", "")
    name = request.GET.get("name", "")
    if over_limit(request):
        log(request, Kind.API, Outcome.LIMITED, code)
        response = _json({"detail": "rate_limited", "message": _("您的查询过于频繁，请稍后再试。")}, 429)
        response["Retry-After"] = str(ratelimit.seconds_left(lookup_rate()))
        return response
    if not code.strip() or not name.strip():
        log(request, Kind.API, Outcome.INVALID, code)
        return _json({"detail": "invalid", "message": _("请同时提供证书编号（code）和姓名（name）。")}, 400)
    certificate = lookup.find_public_by_code(code, name)
    if certificate is None:
        log(request, Kind.API, Outcome.NOT_FOUND, code)
        return _json({"detail": "not_found", "message": _("未查到符合条件的证书。")}, 404)
    log(request, Kind.API, Outcome.FOUND, certificate.code)
    # The language LanguageMiddleware activated: no get_language() through asgiref's Local (issue 42).
    public = lookup.PublicCertificate.of(certificate, getattr(request, "LANGUAGE_CODE", None))
    return _json(public.as_json())


@json_get_only
def certificates_by_document(request):
    """By the holder's document (issue 43): ``document_type`` (a DocumentKind value, resident_id when
    missing, so the calls written for resident IDs keep working), ``id_number`` and ``name``. A wrong
    number, a wrong name and a number nobody holds all answer the same 404."""
    kind = request.GET.get("document_type", "") or identifiers.DocumentKind.RESIDENT_ID
    number = request.GET.get("id_number", "")
    name = request.GET.get("name", "")
    if over_limit(request):
        log(request, Kind.API, Outcome.LIMITED)
        response = _json({"detail": "rate_limited", "message": _("您的查询过于频繁，请稍后再试。")}, 429)
        response["Retry-After"] = str(ratelimit.seconds_left(lookup_rate()))
        return response
    if kind not in identifiers.DocumentKind.values:
        log(request, Kind.API, Outcome.INVALID)
        return _json({"detail": "invalid", "message": _("证件类型（document_type）不正确。")}, 400)
    if not number.strip() or not name.strip():
        log(request, Kind.API, Outcome.INVALID)
        return _json(
            {"detail": "invalid", "message": _("请同时提供证件号码（id_number）和姓名（name）。")}, 400
        )
    problem = document_problem(kind, number)  # about the number's format, nobody's record
    if problem:
        log(request, Kind.API, Outcome.INVALID)
        return _json({"detail": "invalid", "message": problem}, 400)
    try:
        found = lookup.find_by_document(kind, number, name)
    except lookup.GuessesSpent:
        log(request, Kind.API, Outcome.LIMITED)
        return _json({"detail": "rate_limited", "message": guesses_spent_message()}, 429)
    if not found:
        log(request, Kind.API, Outcome.NOT_FOUND)
        return _json({"detail": "not_found", "message": _("未查到符合条件的证书。")}, 404)
    log(request, Kind.API, Outcome.FOUND, found[0].code if len(found) == 1 else "")
    return _json({"certificates": [lookup.PublicCertificate.of(c).as_json() for c in found]})


# --- OpenAPI -----------------------------------------------------------------------------------------

CERTIFICATE_PROPERTIES = {
    "code": ("string", "证书编号（22 位：1 位字母 + 21 位数字）", "S000012011001263000001"),
    "kind": ("string", "证书类型：grade 职业技能等级证书 / qualification 职业资格证书", "grade"),
    "kind_label": ("string", "证书类型（中文）", "职业技能等级证书"),
    "holder_name": ("string", "姓名", "张伟"),
    "document_kind": ("string", "证件类型代码：" + "、".join(identifiers.DocumentKind.values), "resident_id"),
    "document_kind_label": ("string", "证件类型（中文）", "居民身份证"),
    "id_number_masked": (
        "string",
        "证件号码（遮盖中间部分：居民身份证只显示前 6 位和后 4 位，其他证件遮盖同样比例）",
        "120101********0012",
    ),
    "sex": ("string", "性别", "男"),
    "occupation_code": ("string", "职业编码", "4-03-02-01"),
    "occupation_name": ("string", "职业名称", "中式烹调师"),
    "work_type": ("string", "工种（无工种时为“——”）", "——"),
    "level": ("integer", "等级代码 1-5", 3),
    "level_name": ("string", "技能等级", "三级/高级工"),
    "institution_name": (
        "string",
        "发证单位：评价机构（与备案一致）；职业资格证书为市人社局",
        "天津市某某职业技能培训学校",
    ),
    "issuer_label": ("string", "发证单位的称谓：评价机构 / 发证机关", "评价机构"),
    "issue_date": ("string", "发证日期（ISO 8601）", "2026-06-30"),
    "status": ("string", "状态：valid 有效 / revoked 已撤销", "valid"),
    "status_label": ("string", "状态（中文）", "有效"),
    "revoked_on": ("string", "撤销日期（ISO 8601），未撤销时为 null", None),
}


def _error_schema(example_detail: str) -> dict:
    return {
        "type": "object",
        "required": ["detail", "message"],
        "properties": {
            "detail": {"type": "string", "example": example_detail},
            "message": {"type": "string"},
        },
    }


def openapi_document(request=None) -> dict:
    """The OpenAPI 3.0 description of the API (served as JSON and rendered as the docs page)."""
    server = request.build_absolute_uri("/").rstrip("/") if request is not None else ""
    rate = getattr(settings, constants.LOOKUP_RATE_SETTING, constants.LOOKUP_RATE_DEFAULT)
    properties = {}
    for name, (kind, description, example) in CERTIFICATE_PROPERTIES.items():
        prop = {"type": kind, "description": description}
        if example is not None:
            prop["example"] = example
        if name == "revoked_on":
            prop["nullable"] = True
            prop["format"] = "date"
        if name == "issue_date":
            prop["format"] = "date"
        if name == "status":
            prop["enum"] = ["valid", "revoked"]
        if name == "kind":
            prop["enum"] = ["grade", "qualification"]
        properties[name] = prop
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "职业技能等级证书查询接口",
            "version": API_VERSION,
            "description": (
                f"免费向社会提供的证书信息查询（{cite('seed 004 四(四)2')}）。按证书编号和姓名查询；"
                "编号或姓名任一不符均返回同样的 404；也可按证件类型、证件号码和姓名查询，任一不符同样返回 404。"
                "证件号码遮盖显示（居民身份证只显示前 6 位和后 4 位）。"
                f"每个来源地址共享同一查询频率限制（{rate}），超出返回 429。"
                "每次查询均记录（时间、地址摘要、证书编号、结果）。"
            ),
        },
        "servers": [{"url": server}] if server else [],
        "paths": {
            "/api/v1/certificates/verify": {
                "get": {
                    "operationId": "verifyCertificate",
                    "summary": "按证书编号和姓名查询证书",
                    "parameters": [
                        {
                            "name": "code",
                            "in": "query",
                            "required": True,
                            "description": "证书编号（22 位）",
                            "schema": {"type": "string", "pattern": "^[A-Z][0-9]{21}$"},
                            "example": "S000012011001263000001",
                        },
                        {
                            "name": "name",
                            "in": "query",
                            "required": True,
                            "description": "持证人姓名",
                            "schema": {"type": "string", "maxLength": 50},
                            "example": "张伟",
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "查到证书（有效或已撤销）",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Certificate"}}
                            },
                        },
                        "400": {
                            "description": "缺少 code 或 name",
                            "content": {"application/json": {"schema": _error_schema("invalid")}},
                        },
                        "404": {
                            "description": "未查到（编号或姓名不符，两者回答相同）",
                            "content": {"application/json": {"schema": _error_schema("not_found")}},
                        },
                        "429": {
                            "description": "查询过于频繁",
                            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                            "content": {"application/json": {"schema": _error_schema("rate_limited")}},
                        },
                    },
                }
            },
            "/api/v1/certificates/by-document": {
                "get": {
                    "operationId": "certificatesByDocument",
                    "summary": "按证件类型、证件号码和姓名查询持证人的证书",
                    "parameters": [
                        {
                            "name": "document_type",
                            "in": "query",
                            "required": False,
                            "description": "证件类型代码，缺省为 resident_id（居民身份证）",
                            "schema": {"type": "string", "enum": list(identifiers.DocumentKind.values)},
                            "example": "passport",
                        },
                        {
                            "name": "id_number",
                            "in": "query",
                            "required": True,
                            "description": "完整证件号码（护照为三位国家代码加护照号码，如 USA123456789）",
                            "schema": {"type": "string", "maxLength": 30},
                            "example": "USA123456789",
                        },
                        {
                            "name": "name",
                            "in": "query",
                            "required": True,
                            "description": "持证人姓名",
                            "schema": {"type": "string", "maxLength": 50},
                            "example": "JOHN SMITH",
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "查到证书（一人可持多本），按发证日期从新到旧",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["certificates"],
                                        "properties": {
                                            "certificates": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Certificate"},
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        "400": {
                            "description": "缺少参数、证件类型不正确或证件号码格式不正确",
                            "content": {"application/json": {"schema": _error_schema("invalid")}},
                        },
                        "404": {
                            "description": "未查到（证件号码、姓名或证件类型任一不符，回答相同）",
                            "content": {"application/json": {"schema": _error_schema("not_found")}},
                        },
                        "429": {
                            "description": "查询过于频繁，或该持证人近期证件号码核对错误次数过多",
                            "content": {"application/json": {"schema": _error_schema("rate_limited")}},
                        },
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Certificate": {
                    "type": "object",
                    "required": [n for n in CERTIFICATE_PROPERTIES if n != "revoked_on"],
                    "properties": properties,
                }
            }
        },
    }


EXAMPLE_QUERIES = {
    "/api/v1/certificates/verify": "?code=S000012011001263000001&name=%E5%BC%A0%E4%BC%9F",
    "/api/v1/certificates/by-document": "?document_type=passport&id_number=USA123456789&name=JOHN%20SMITH",
}


@json_get_only
def openapi_json(request):
    response = JsonResponse(openapi_document(request), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _rows(schema: dict) -> list[dict]:
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": prop.get("type", "") + (" | null" if prop.get("nullable") else ""),
            "required": name in required,
            "description": prop.get("description", ""),
            "example": prop.get("example", ""),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


@require_GET
def docs(request):
    """The OpenAPI document rendered on the server as a plain page (no CDN, no script)."""
    document = openapi_document(request)
    operations = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "operation": operation,
                    "responses": [
                        {
                            "status": status,
                            "description": response["description"],
                            "schema": response.get("content", {})
                            .get("application/json", {})
                            .get("schema", {}),
                        }
                        for status, response in operation["responses"].items()
                    ],
                    "example_url": path + EXAMPLE_QUERIES.get(path, ""),
                }
            )
    return render(
        request,
        "certificates/public/api_docs.html",
        {
            "document": document,
            "operations": operations,
            "certificate_rows": _rows(document["components"]["schemas"]["Certificate"]),
            "openapi_url": reverse("certificates:openapi_json"),
            "breadcrumbs": [(_("证书查询接口"), None)],
        },
    )
