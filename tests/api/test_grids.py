def create(api, **body):
    return api.post("/api/v1/grids", body)


def build_tree(api, county):
    assert create(api, code=county, name="测试县").status == 201
    town = f"{county}101"
    assert create(api, code=town, parent_code=county, name="测试镇").status == 201
    villages = [f"{town}{n:03d}" for n in (201, 202)]
    for village in villages:
        assert create(api, code=village, parent_code=town, name="村").status == 201
    return town, villages


def test_create_and_get_a_grid(api, county_code):
    town, villages = build_tree(api, county_code)
    response = api.get(f"/api/v1/grids/{villages[0]}")
    assert response.status == 200
    grid = response.json
    assert grid["code"] == villages[0]
    assert grid["division_code"] == villages[0]
    assert grid["parent_code"] == town
    assert grid["level"] == "village"
    assert grid["level_name"] == "村/社区"
    assert grid["version"] == 1
    assert api.get(f"/api/v1/grids/{town}").json["division_code"] == f"{town}000"


def test_grid_codes_below_the_village_are_allocated_in_order(api, county_code):
    _, villages = build_tree(api, county_code)
    first = create(api, parent_code=villages[0], name="第一网格").json
    second = create(api, parent_code=villages[0], name="第二网格").json
    assert (first["code"], second["code"]) == (f"{villages[0]}01", f"{villages[0]}02")
    micro = create(api, parent_code=first["code"], name="微网格").json
    assert micro["code"] == f"{first['code']}01" and micro["level"] == "micro"


def test_a_taken_code_is_409(api, county_code):
    build_tree(api, county_code)
    response = create(api, code=county_code, name="again")
    assert response.status == 409
    assert response.error["code"] == "conflict"
    response = create(api, code=f"{county_code}101", parent_code=county_code, name="again")
    assert response.status == 409


def test_a_missing_parent_is_400_on_parent_code(api, county_code):
    response = create(api, code=f"{county_code}101", parent_code=county_code, name="孤儿镇")
    assert response.status == 400
    assert response.error["details"][0]["field"] == "parent_code"
    assert api.get(f"/api/v1/grids/{county_code}101").status == 404


def test_a_code_outside_its_parent_is_400(api, county_code):
    build_tree(api, county_code)
    response = create(api, code="999999101", parent_code=county_code, name="错镇")
    assert response.status == 400
    assert response.error["details"][0]["field"] == "code"


def test_towns_and_villages_need_their_statistical_code(api, county_code):
    build_tree(api, county_code)
    response = create(api, parent_code=county_code, name="无码镇")
    assert response.status == 400
    assert response.error["details"][0]["field"] == "code"


def test_unknown_grid_is_404(api, county_code):
    response = api.get(f"/api/v1/grids/{county_code}")
    assert response.status == 404
    assert response.error["code"] == "not_found"


def test_children_are_paged_with_a_cursor(api, county_code):
    _, villages = build_tree(api, county_code)
    codes = [create(api, parent_code=villages[0], name=f"网格{i}").json["code"] for i in range(5)]
    seen, cursor = [], None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(f"/api/v1/grids/{villages[0]}/children?{query}").json
        assert len(page["items"]) <= 2
        seen += [g["code"] for g in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == codes


def test_subtree_lists_every_level_below_in_order(api, county_code):
    town, villages = build_tree(api, county_code)
    grid = create(api, parent_code=villages[1], name="网格").json["code"]
    micro = create(api, parent_code=grid, name="微网格").json["code"]
    everything, cursor = [], None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(f"/api/v1/grids/{county_code}/subtree?{query}").json
        everything += [g["code"] for g in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert everything == [town, *villages, grid, micro]
    only_micro = api.get(f"/api/v1/grids/{town}/subtree?level=micro").json
    assert [g["code"] for g in only_micro["items"]] == [micro]
    assert api.get(f"/api/v1/grids/{villages[0]}/subtree").json["items"] == []


def test_subtree_level_must_be_below(api, county_code):
    town, _ = build_tree(api, county_code)
    response = api.get(f"/api/v1/grids/{town}/subtree?level=county")
    assert response.status == 400
    assert response.error["details"][0]["field"] == "level"


def test_demo_town_has_the_sanquan_figures(api, demo_town):
    town = "140825102"
    villages = api.get(f"/api/v1/grids/{town}/children?limit=200").json["items"]
    assert len(villages) == 21
    counts = {}
    for level in ("grid", "micro"):
        total, cursor = 0, None
        while True:
            query = f"level={level}&limit=200" + (f"&cursor={cursor}" if cursor else "")
            page = api.get(f"/api/v1/grids/{town}/subtree?{query}").json
            total += len(page["items"])
            cursor = page["next_cursor"]
            if cursor is None:
                break
        counts[level] = total
    assert counts == {"grid": 51, "micro": 304}
