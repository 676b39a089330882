"""Every failure answers with the one envelope and the right status."""

import pytest


def assert_envelope(response, status, code):
    assert response.status == status, response.body
    error = response.error
    assert error["code"] == code
    assert error["message"]
    assert isinstance(error["details"], list)
    assert error["request_id"] == response.headers["x-request-id"]
    return error


def test_malformed_json_is_400(county_admin):
    api = county_admin
    response = api.request("POST", "/api/v1/grids", body=b'{"name": "x",',
                           headers={"Content-Type": "application/json"})
    error = assert_envelope(response, 400, "malformed_json")
    assert error["details"][0]["field"] == "body"


def test_wrong_type_names_the_field(county_admin):
    api = county_admin
    response = api.post("/api/v1/grids", {"name": 12, "code": "140825"})
    error = assert_envelope(response, 400, "validation_error")
    assert [d["field"] for d in error["details"]] == ["name"]


def test_unknown_field_is_rejected(county_admin):
    api, town = county_admin, f"{county_admin.county}101"
    response = api.post("/api/v1/grids", {"name": "镇", "code": town,
                                          "parent_code": county_admin.county, "colour": "red"})
    error = assert_envelope(response, 400, "validation_error")
    assert error["details"][0]["field"] == "colour"
    assert api.get(f"/api/v1/grids/{town}").status == 404  # nothing half-written


def test_body_that_is_not_an_object_is_400(county_admin):
    api = county_admin
    error = assert_envelope(api.post("/api/v1/grids", [1, 2]), 400, "validation_error")
    assert error["details"][0]["field"] == "body"


def test_oversize_body_is_413(county_admin):
    api = county_admin
    body = b'{"name": "' + b"x" * (1024 * 1024) + b'"}'
    response = api.request("POST", "/api/v1/grids", body=body,
                           headers={"Content-Type": "application/json"})
    assert_envelope(response, 413, "payload_too_large")


def test_other_content_type_is_415(county_admin):
    api = county_admin
    response = api.request("POST", "/api/v1/grids", body=b"name=x",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_envelope(response, 415, "unsupported_media_type")


def test_unsupported_method_is_405(api):
    response = api.request("DELETE", "/api/v1/health")
    assert_envelope(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET"


def test_unknown_route_is_404(api):
    assert_envelope(api.get("/api/v1/nowhere"), 404, "not_found")


def test_unknown_query_parameter_is_400(as_role):
    api = as_role("county_admin")
    error = assert_envelope(api.get("/api/v1/grids/140825/children?colour=red"), 400,
                            "validation_error")
    assert error["details"][0]["field"] == "colour"


@pytest.mark.parametrize("query,field", [("limit=0", "limit"), ("limit=abc", "limit"),
                                         ("cursor=%%%", "cursor"), ("cursor=WzFd", "cursor")])
def test_bad_paging_parameters_are_400(as_role, query, field):
    api = as_role("county_admin")
    error = assert_envelope(api.get(f"/api/v1/grids/140825/children?{query}"), 400,
                            "validation_error")
    assert error["details"][0]["field"] == field


def test_unexpected_failure_is_500_without_stack_trace(as_role, monkeypatch):
    api = as_role("county_admin")
    from chalicelib.usecases import grids

    def explode(code):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(grids, "get_grid", explode)
    response = api.get("/api/v1/grids/140825")
    error = assert_envelope(response, 500, "internal_error")
    assert "secret" not in response.body.decode()
    assert "Traceback" not in response.body.decode()
    assert error["request_id"]
