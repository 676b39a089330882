def test_health_reaches_the_database(api):
    response = api.get("/api/v1/health")
    assert response.status == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_unreachable(api, monkeypatch):
    from chalicelib.store.grids import GridModel

    from devtools.dynamodb_local import free_port

    monkeypatch.setattr(GridModel.Meta, "host", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setattr(GridModel, "_connection", None)
    response = api.get("/api/v1/health")
    assert response.status == 503
    assert response.error["code"] == "database_unavailable"
