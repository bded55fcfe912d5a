import pytest

from hub.celery import app

pytestmark = pytest.mark.django_db

CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_all_checks_pass_with_the_configured_services(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "channel_layer", "broker"}
    for name, check in body["checks"].items():
        assert check["ok"] is True, (name, check)
        assert check["ms"] >= 0
    assert "no-cache" in response["Cache-Control"]


def test_unreachable_broker_is_a_503_naming_it(client, monkeypatch):
    monkeypatch.setitem(app.conf, "broker_url", CLOSED_REDIS)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["broker"]["ok"] is False
    assert "Connection refused" in body["checks"]["broker"]["reason"]
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["channel_layer"]["ok"] is True


def test_unreachable_channel_layer_is_a_503_naming_it(client, settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [CLOSED_REDIS]},
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["channel_layer"]["ok"] is False
    assert checks["channel_layer"]["reason"]
    assert checks["broker"]["ok"] is True


def test_reason_never_shows_the_broker_password(client, monkeypatch):
    monkeypatch.setitem(app.conf, "broker_url", "redis://ebilim:S3cret-pw@127.0.0.1:1/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert b"S3cret-pw" not in response.content


def test_missing_broker_folders_are_created(client, monkeypatch, tmp_path):
    folders = {
        "data_folder_in": tmp_path / "queue",
        "data_folder_out": tmp_path / "queue",
        "processed_folder": tmp_path / "processed",
        "control_folder": tmp_path / "control",
    }
    monkeypatch.setitem(app.conf, "broker_url", "filesystem://")
    monkeypatch.setitem(
        app.conf, "broker_transport_options", {k: str(v) for k, v in folders.items()}
    )

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"]["ok"] is True
    assert all(folder.is_dir() for folder in folders.values())


def test_broker_folder_that_cannot_be_created_is_a_503(client, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setitem(app.conf, "broker_url", "filesystem://")
    monkeypatch.setitem(
        app.conf,
        "broker_transport_options",
        {"data_folder_in": str(blocker / "queue"), "data_folder_out": str(blocker / "queue")},
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_only_get_is_allowed(client):
    assert client.post("/healthz").status_code == 405
