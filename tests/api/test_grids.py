def create(api, **body):
    return api.post("/api/v1/grids", body)


def build_tree(admin):
    """A town with two villages in the admin's own county."""
    county = admin.county
    town = f"{county}101"
    assert create(admin, code=town, parent_code=county, name="测试镇").status == 201
    villages = [f"{town}{n:03d}" for n in (201, 202)]
    for village in villages:
        assert create(admin, code=village, parent_code=town, name="村").status == 201
    return town, villages


def all_pages(api, path, query="limit=2"):
    codes, cursor = [], None
    while True:
        page = api.get(f"{path}?{query}" + (f"&cursor={cursor}" if cursor else "")).json
        codes += [g["code"] for g in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return codes


def test_create_and_get_a_grid(county_admin):
    town, villages = build_tree(county_admin)
    response = county_admin.get(f"/api/v1/grids/{villages[0]}")
    assert response.status == 200
    grid = response.json
    assert grid["code"] == villages[0]
    assert grid["division_code"] == villages[0]
    assert grid["parent_code"] == town
    assert grid["level"] == "village"
    assert grid["level_name"] == "村/社区"
    assert grid["version"] == 1
    assert county_admin.get(f"/api/v1/grids/{town}").json["division_code"] == f"{town}000"


def test_grid_codes_below_the_village_are_allocated_in_order(county_admin):
    _, villages = build_tree(county_admin)
    first = create(county_admin, parent_code=villages[0], name="第一网格").json
    second = create(county_admin, parent_code=villages[0], name="第二网格").json
    assert (first["code"], second["code"]) == (f"{villages[0]}01", f"{villages[0]}02")
    micro = create(county_admin, parent_code=first["code"], name="微网格").json
    assert micro["code"] == f"{first['code']}01" and micro["level"] == "micro"


def test_a_taken_code_is_409(county_admin):
    town, _ = build_tree(county_admin)
    response = create(county_admin, code=town, parent_code=county_admin.county, name="again")
    assert response.status == 409
    assert response.error["code"] == "conflict"


def test_a_missing_parent_is_400_on_parent_code(county_admin):
    town = f"{county_admin.county}101"
    response = create(county_admin, code=f"{town}201", parent_code=town, name="孤儿村")
    assert response.status == 400
    assert response.error["details"][0]["field"] == "parent_code"
    assert county_admin.get(f"/api/v1/grids/{town}201").status == 404


def test_a_code_outside_its_parent_is_400(county_admin):
    build_tree(county_admin)
    response = create(county_admin, code=f"{county_admin.county}101201",
                      parent_code=county_admin.county, name="错镇")
    assert response.status == 400
    assert response.error["details"][0]["field"] == "code"


def test_towns_and_villages_need_their_statistical_code(county_admin):
    build_tree(county_admin)
    response = create(county_admin, parent_code=county_admin.county, name="无码镇")
    assert response.status == 400
    assert response.error["details"][0]["field"] == "code"


def test_unknown_grid_is_404(county_admin):
    response = county_admin.get(f"/api/v1/grids/{county_admin.county}999")
    assert response.status == 404
    assert response.error["code"] == "not_found"


def test_children_are_paged_with_a_cursor(county_admin):
    _, villages = build_tree(county_admin)
    codes = [create(county_admin, parent_code=villages[0], name=f"网格{i}").json["code"]
             for i in range(5)]
    first_page = county_admin.get(f"/api/v1/grids/{villages[0]}/children?limit=2").json
    assert len(first_page["items"]) == 2 and first_page["next_cursor"]
    assert all_pages(county_admin, f"/api/v1/grids/{villages[0]}/children") == codes


def test_subtree_lists_every_level_below_in_order(county_admin):
    town, villages = build_tree(county_admin)
    grid = create(county_admin, parent_code=villages[1], name="网格").json["code"]
    micro = create(county_admin, parent_code=grid, name="微网格").json["code"]
    everything = all_pages(county_admin, f"/api/v1/grids/{county_admin.county}/subtree")
    assert everything == [town, *villages, grid, micro]
    assert all_pages(county_admin, f"/api/v1/grids/{town}/subtree", "level=micro") == [micro]
    assert county_admin.get(f"/api/v1/grids/{villages[0]}/subtree").json["items"] == []


def test_subtree_level_must_be_below(county_admin):
    town, _ = build_tree(county_admin)
    response = county_admin.get(f"/api/v1/grids/{town}/subtree?level=county")
    assert response.status == 400
    assert response.error["details"][0]["field"] == "level"


def test_demo_town_has_the_sanquan_figures(as_role, demo_town):
    api = as_role("town_admin")
    town = "140825102"
    assert len(api.get(f"/api/v1/grids/{town}/children?limit=200").json["items"]) == 21
    for level, length, expected in (("grid", 14, 51), ("micro", 16, 304)):
        demo_codes = {g["code"] for g in demo_town.grids if len(g["code"]) == length}
        assert len(demo_codes) == expected
        # Other tests may add grids to the demo town; every demo grid is listed.
        listed = all_pages(api, f"/api/v1/grids/{town}/subtree", f"level={level}&limit=200")
        assert demo_codes <= set(listed)
