from drf_spectacular.validation import validate_schema


def test_schema_is_valid_openapi_3_and_lists_the_v1_paths(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # raises on anything the OpenAPI 3 JSON schema rejects
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]["/api/v1/auth/token/"]) == {"post"}
    assert set(schema["paths"]["/api/v1/me/"]) == {"get", "patch"}


def test_schema_declares_token_and_session_authentication(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    assert schema["paths"]["/api/v1/auth/token/"]["post"]["security"] == [{}]
