"""An Open311 GeoReport v2 client: list services, read a definition, post a
request (form-encoded, with its api_key) and read it back, as the spec has it."""

from urllib.parse import urlencode

import pytest

MICRO, TOWN = "1408251022010101", "140825102"


@pytest.fixture(scope="module")
def api_key(demo_town):
    from chalicelib.domain.callers import Caller
    from chalicelib.schemas.users import ApiKeyCreate
    from chalicelib.usecases import api_keys

    admin = Caller(user_id="open311-test-admin", role="county_admin", scope_code="140825")
    return api_keys.create_key(admin, ApiKeyCreate(name="Open311 app", scope_code=TOWN,
                                                   operations=["cases.create"])).api_key


def post_form(client, path, fields):
    return client.request("POST", path, body=urlencode(fields).encode(),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})


def test_a_client_lists_services_posts_a_request_and_reads_it_back(api, api_key, as_role):
    services = api.get("/api/v1/open311/services.json?jurisdiction_id=140825")
    assert services.status == 200
    codes = {s["service_code"] for s in services.json}
    assert {"sanitation", "parking", "safety_hazard"} <= codes and "petition" not in codes
    sanitation = next(s for s in services.json if s["service_code"] == "sanitation")
    assert set(sanitation) == {"service_code", "service_name", "description", "metadata",
                               "type", "keywords", "group"}
    assert (sanitation["service_name"], sanitation["type"]) == ("环境卫生", "realtime")
    definition = api.get("/api/v1/open311/services/sanitation.json").json
    assert definition["service_code"] == "sanitation"
    assert [a["code"] for a in definition["attributes"]] == ["grid_code"]

    posted = post_form(api, "/api/v1/open311/requests.json", {
        "api_key": api_key, "jurisdiction_id": "140825", "service_code": "sanitation",
        "lat": "35.6123", "long": "111.2034", "address_string": "三泉村东口",
        "attribute[grid_code]": MICRO, "description": "垃圾桶满了没人清",
        "first_name": "五", "last_name": "王", "phone": "13800001111"})
    assert posted.status == 201, posted.body
    [receipt] = posted.json
    request_id = receipt["service_request_id"]
    assert set(receipt) == {"service_request_id", "service_notice", "account_id"}

    [read] = api.get(f"/api/v1/open311/requests/{request_id}.json").json
    assert (read["service_request_id"], read["status"], read["service_code"]) == (
        request_id, "open", "sanitation")
    assert (read["lat"], read["long"], read["address"]) == (35.6123, 111.2034, "三泉村东口")
    assert read["requested_datetime"].endswith("+08:00")
    assert "phone" not in read and "first_name" not in read
    listed = api.get("/api/v1/open311/requests.json?jurisdiction_id=140825&status=open"
                     "&service_code=sanitation").json
    assert request_id in {r["service_request_id"] for r in listed}
    by_id = api.get(f"/api/v1/open311/requests.json?service_request_id={request_id}").json
    assert [r["service_request_id"] for r in by_id] == [request_id]
    closed_only = api.get("/api/v1/open311/requests.json?jurisdiction_id=140825&status=closed")
    assert request_id not in {r["service_request_id"] for r in closed_only.json}
    # Inside, it is a resident's case at the grid the notice board named.
    case = as_role("grid_leader").get(f"/api/v1/cases/{request_id}").json
    assert (case["source"], case["location_grid"], case["state"]) == ("resident", MICRO,
                                                                      "reported")


def test_errors_come_in_georeport_shape(api, api_key):
    missing_key = post_form(api, "/api/v1/open311/requests.json",
                            {"service_code": "sanitation", "lat": "1", "long": "1"})
    assert missing_key.status == 400
    assert missing_key.json == [{"code": 400, "description": "api_key is required"}]
    bad_key = post_form(api, "/api/v1/open311/requests.json",
                        {"api_key": "wgk_nope_nope", "service_code": "sanitation"})
    assert bad_key.status == 403 and bad_key.json[0]["code"] == 403
    no_place = post_form(api, "/api/v1/open311/requests.json",
                         {"api_key": api_key, "service_code": "sanitation"})
    assert no_place.status == 400 and "location" in no_place.json[0]["description"]
    petition = post_form(api, "/api/v1/open311/requests.json", {
        "api_key": api_key, "service_code": "petition", "address_string": "x",
        "attribute[grid_code]": MICRO})
    assert petition.status == 404
    elsewhere = post_form(api, "/api/v1/open311/requests.json", {
        "api_key": api_key, "service_code": "parking", "address_string": "x",
        "attribute[grid_code]": "1408251032010101"})
    assert elsewhere.status == 403
    assert api.get("/api/v1/open311/services/nothing.json").status == 404
    assert api.get("/api/v1/open311/services/sanitation.xml").status == 404
    assert api.get("/api/v1/open311/requests.json").status == 400  # which jurisdiction?


def test_cases_from_inside_are_not_published(api, as_role):
    created = as_role("grid_worker").post("/api/v1/cases", {
        "category": "dispute", "grid_code": MICRO, "description": "邻里纠纷"})
    case_id = created.json["case_id"]
    assert api.get(f"/api/v1/open311/requests/{case_id}.json").status == 404
    listed = api.get("/api/v1/open311/requests.json?jurisdiction_id=140825").json
    assert case_id not in {r["service_request_id"] for r in listed}


def square(west, south, size=0.01):
    ring = [[west, south], [west + size, south], [west + size, south + size],
            [west, south + size], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def mapped_county(database, county_code):
    """A county whose town has a village drawn around two micro-grids, another village
    with one drawn micro-grid further east, and a second town drawn nowhere."""
    import json
    from types import SimpleNamespace

    from chalicelib.store import grids
    from chalicelib.usecases import bootstrap

    bootstrap.ensure_county(county_code, "测试县")
    town, plain_town = county_code + "101", county_code + "102"
    village, east_village = town + "201", town + "202"
    west_micro, east_micro, far_micro = village + "0101", village + "0102", east_village + "0101"
    drawn = {village: square(111.20, 35.60, 0.05), west_micro: square(111.21, 35.61),
             east_micro: square(111.23, 35.61), far_micro: square(111.40, 35.61)}
    for code in (town, plain_town, village, east_village, village + "01", east_village + "01",
                 west_micro, east_micro, far_micro):
        grid = grids.build(code, "网格")
        grid.boundary = json.dumps(drawn[code]) if code in drawn else None
        grids.create(grid)
    return SimpleNamespace(county=county_code, town=town, plain_town=plain_town, village=village,
                           west_micro=west_micro, east_micro=east_micro, far_micro=far_micro)


def key_for(county, scope_code):
    from chalicelib.domain.callers import Caller
    from chalicelib.schemas.users import ApiKeyCreate
    from chalicelib.usecases import api_keys

    admin = Caller(user_id="open311-test-admin", role="county_admin", scope_code=county)
    return api_keys.create_key(admin, ApiKeyCreate(name="FixMyStreet", scope_code=scope_code,
                                                   operations=["cases.create"])).api_key


def file_at(api, key, lat, long, **more):
    """A request as FixMyStreet sends it: form-encoded, no grid attribute."""
    return post_form(api, "/api/v1/open311/requests.json", {
        "api_key": key, "service_code": "sanitation", "lat": lat, "long": long,
        "address_string": "村口", "description": "垃圾没人清", **more})


def filed_grid(response):
    from chalicelib.store import cases

    assert response.status == 201, response.body
    return cases.find(response.json[0]["service_request_id"]).case.location_grid


@pytest.mark.parametrize("where,lat,long", [
    ("west_micro", "35.615", "111.215"),
    ("east_micro", "35.6101", "111.2399"),
    ("village", "35.64", "111.24"),       # inside the village, in no micro-grid
    ("village", "35.63", "111.19"),       # west of everything: the village's edge is nearest
    ("far_micro", "35.615", "111.38"),    # east of the village, nearer the far micro-grid
])
def test_a_request_is_placed_by_its_position(api, mapped_county, where, lat, long):
    key = key_for(mapped_county.county, mapped_county.town)
    assert filed_grid(file_at(api, key, lat, long)) == getattr(mapped_county, where)


def test_a_county_wide_key_places_requests_in_its_towns(api, mapped_county):
    key = key_for(mapped_county.county, mapped_county.county)
    assert filed_grid(file_at(api, key, "35.615", "111.215")) == mapped_county.west_micro


def test_the_grid_attribute_wins_over_the_position(api, mapped_county):
    key = key_for(mapped_county.county, mapped_county.town)
    posted = file_at(api, key, "35.615", "111.215",
                     **{"attribute[grid_code]": mapped_county.east_micro})
    assert filed_grid(posted) == mapped_county.east_micro


def test_without_boundaries_a_request_goes_to_the_keys_grid(api, mapped_county):
    key = key_for(mapped_county.county, mapped_county.plain_town)
    assert filed_grid(file_at(api, key, "35.615", "111.215")) == mapped_county.plain_town


def test_a_county_wide_key_with_nothing_drawn_needs_the_grid(api, database, county_code):
    from chalicelib.usecases import bootstrap

    bootstrap.ensure_county(county_code, "无图县")
    answer = file_at(api, key_for(county_code, county_code), "35.615", "111.215")
    assert answer.status == 400
    assert "attribute[grid_code] is required" in answer.json[0]["description"]


@pytest.mark.parametrize("lat,long,says", [
    ("north", "111.2", "lat is not a number"),
    ("95", "111.2", "lat is a WGS 84 coordinate, -90 to 90"),
    ("35.6", "-181", "long is a WGS 84 coordinate, -180 to 180"),
    ("nan", "111.2", "lat is a WGS 84 coordinate, -90 to 90"),
    ("35.6", "", "lat and long go together"),
])
def test_a_bad_position_is_a_georeport_400(api, mapped_county, lat, long, says):
    answer = file_at(api, key_for(mapped_county.county, mapped_county.town), lat, long)
    assert (answer.status, answer.json) == (400, [{"code": 400, "description": says}])
