"""Case photos: a presigned POST form from the API, the upload straight to the
local S3-compatible server, then attached to the case and its timeline."""

import urllib.request

import pytest

from tests.api.s3_forms import post_form

MICRO = "1408251022010101"
JPEG = b"\xff\xd8\xff\xe0" + b"photo" * 50


def upload(form, content):
    return post_form(form, content, "photo.jpg", "image/jpeg")


@pytest.fixture
def case(as_role):
    worker = as_role("grid_worker")
    created = worker.post("/api/v1/cases", {"category": "safety_hazard", "grid_code": MICRO,
                                            "description": "电线裸露"})
    return worker, created.json


def test_a_photo_goes_straight_to_storage_and_onto_the_timeline(case):
    worker, created = case
    path = f"/api/v1/cases/{created['case_id']}/attachments"
    form = worker.post(f"{path}/uploads", {"content_type": "image/jpeg",
                                           "size": len(JPEG)})
    assert form.status == 201, form.body
    assert upload(form.json, JPEG) in (200, 201, 204)
    attached = worker.post(path, {"attachment_id": form.json["attachment_id"]})
    assert attached.status == 201, attached.body
    again = worker.post(path, {"attachment_id": form.json["attachment_id"]})
    assert again.status == 201 and again.json["attachment_count"] == 1  # a retry is harmless
    [photo] = attached.json["attachments"]
    assert (photo["content_type"], photo["size"]) == ("image/jpeg", len(JPEG))
    with urllib.request.urlopen(photo["url"], timeout=10) as download:
        assert download.read() == JPEG
    entry = attached.json["timeline"][-1]
    assert entry["action"] == "attachment"
    assert entry["data"]["attachment"]["attachment_id"] == form.json["attachment_id"]


def test_the_form_holds_the_size_the_type_and_the_key(case):
    worker, created = case
    path = f"/api/v1/cases/{created['case_id']}/attachments"
    form = worker.post(f"{path}/uploads", {"content_type": "image/jpeg", "size": 100}).json
    assert upload(form, b"x" * 101) == 400  # larger than asked for
    for field, value in (("Content-Type", "text/html"), ("key", "cases/other/evil")):
        forged = {**form, "fields": {**form["fields"], field: value}}
        assert upload(forged, JPEG[:50]) == 403, field
    nothing = worker.post(path, {"attachment_id": form["attachment_id"]})
    assert nothing.status == 400 and nothing.error["details"][0]["field"] == "attachment_id"
    too_big = worker.post(f"{path}/uploads", {"content_type": "image/jpeg",
                                              "size": 50 * 1024 * 1024})
    assert too_big.status == 400


def test_handling_refers_to_the_photos_of_the_case(case, as_role):
    worker, created = case
    leader = as_role("grid_leader")
    case_id = created["case_id"]
    path = f"/api/v1/cases/{case_id}/attachments"
    form = worker.post(f"{path}/uploads", {"content_type": "image/jpeg",
                                           "size": len(JPEG)}).json
    upload(form, JPEG)
    worker.post(path, {"attachment_id": form["attachment_id"]})
    version = 0
    for client, action in ((leader, "register"), (leader, "dispatch"), (worker, "accept")):
        version = client.post(f"/api/v1/cases/{case_id}/transitions", {
            "action": action, "version": version, "worker_id": "w000002"}).json["version"]
    unknown = worker.post(f"/api/v1/cases/{case_id}/transitions", {
        "action": "handle", "version": version, "note": "已修复", "attachment_ids": ["nope"]})
    assert unknown.status == 400
    handled = worker.post(f"/api/v1/cases/{case_id}/transitions", {
        "action": "handle", "version": version, "note": "已修复",
        "attachment_ids": [form["attachment_id"]]})
    assert handled.status == 200
    assert handled.json["timeline"][-1]["data"] == {"attachment_ids": [form["attachment_id"]]}
