def test_openapi_documents_every_route(api):
    from app import app

    document = api.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in document["paths"].items()
                  for method in ops}
    routed = {(path, method) for path, methods in app.routes.items() for method in methods}
    assert documented == routed


def test_openapi_schemas_come_from_the_validating_models(api):
    from chalicelib.schemas.grids import GridCreate

    document = api.get("/api/v1/openapi.json").json
    create = document["paths"]["/api/v1/grids"]["post"]
    ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert schema["properties"].keys() == GridCreate.model_json_schema()["properties"].keys()
    assert schema.get("additionalProperties") is False
    assert "ErrorEnvelope" in document["components"]["schemas"]
    params = document["paths"]["/api/v1/grids/{code}/subtree"]["get"]["parameters"]
    assert {p["name"] for p in params} == {"code", "limit", "cursor", "level"}
