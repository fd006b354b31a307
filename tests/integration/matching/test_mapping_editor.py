"""The mapping editor's API on PostgreSQL: an upload's preview, a job made with a seller's
mapping (its rows matched), the mapping saved for the seller and the header and applied to the
next upload of that header (and to nobody else's), and a forced format that does not fit
refused with the columns it lacks."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import sqlalchemy as sa

from matching.formats import FORMATS_BY_NAME
from matching.formats.spec import FIELDS
from tests.integration.matching.conftest import bearer, wait_for_job

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]

SHOP_HEADER = "Kartenname,Edition,Nr,Anzahl,Zustand"
SHOP_ROWS = "Charizard,Base,4,1,NM\nBlastoise,Base,2,2,LP\n"
SHOP_MAPPING = {
    "name": "Kartenname",
    "set_name": "Edition",
    "number": "Nr",
    "quantity": "Anzahl",
    "condition": "Zustand",
}


def _post(client, path: str, key: str, content: bytes, **form):
    return client.post(
        f"/api/matching/jobs{path}",
        files={"file": ("shop.csv", content, "text/csv")},
        data={k: v for k, v in form.items() if v is not None},
        headers=bearer(key),
    )


def _shop(header: str = SHOP_HEADER, rows: str = SHOP_ROWS) -> bytes:
    return f"{header}\n{rows}".encode()


def _rows(client, key: str, job_id: int) -> list[dict]:
    response = client.get(f"/api/matching/jobs/{job_id}/results", headers=bearer(key))
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_preview_of_an_unknown_header_lists_its_columns_sample_and_fields(client, keys) -> None:
    response = _post(client, "/preview", keys.vendor, _shop())
    assert response.status_code == 200, response.text
    preview = response.json()
    assert preview["format"] is None and preview["saved_mapping"] is None
    assert (preview["encoding"], preview["delimiter"]) == ("utf-8", ",")
    assert preview["header"] == SHOP_HEADER.split(",")
    assert [row["values"] for row in preview["sample"]] == [
        ["Charizard", "Base", "4", "1", "NM"],
        ["Blastoise", "Base", "2", "2", "LP"],
    ]
    assert preview["mapping"] == {} and preview["unmapped_fields"] == list(FIELDS)
    assert [f["name"] for f in preview["fields"]] == list(FIELDS)
    assert all(f["label"] for f in preview["fields"])


def test_preview_of_a_known_export_shows_the_format_and_its_mapping(
    client, keys, shared_data
) -> None:
    path = shared_data / "seller-exports/mtgcsvhelper/Tests/manabox-real-export.csv"
    preview = _post(client, "/preview", keys.vendor, path.read_bytes()).json()
    assert preview["format"] == "manabox"
    assert preview["mapping"]["name"] == "Name"
    assert preview["mapping"]["set_code"] == "Set code"
    assert "name" not in preview["unmapped_fields"]
    assert len(preview["sample"]) == 5 and all(r["error"] is None for r in preview["sample"])


def test_preview_with_a_mapping_reads_the_sample_with_it(client, keys) -> None:
    preview = _post(
        client, "/preview", keys.vendor, _shop(), mapping=json.dumps(SHOP_MAPPING)
    ).json()
    assert preview["format"] == "generic" and preview["mapping"] == SHOP_MAPPING
    assert preview["unmapped_columns"] == []
    assert [r["error"] for r in preview["sample"]] == [None, None]


@pytest.mark.parametrize("path", ["/preview", ""])
def test_a_forced_format_that_does_not_fit_is_refused_with_the_missing_columns(
    client, keys, path
) -> None:
    response = _post(client, path, keys.vendor, _shop(), format="manabox")
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "format_mismatch" and body["format"] == "manabox"
    # every column ManaBox's signature names (the unit tests pin them by name)
    assert body["missing_columns"] == list(FORMATS_BY_NAME["manabox"].signature_columns)
    assert "Collector number" in body["details"]


@pytest.mark.parametrize(
    ("mapping", "code"),
    [("not json", "invalid_mapping"), ('{"colour": "Zustand"}', "unreadable_upload")],
)
def test_preview_refuses_a_bad_mapping(client, keys, mapping, code) -> None:
    response = _post(client, "/preview", keys.vendor, _shop(), mapping=mapping)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code


def test_an_unknown_header_without_a_mapping_is_refused_as_a_job(client, keys) -> None:
    response = _post(client, "", keys.vendor, _shop())
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_format"


def test_a_mapping_is_saved_and_reused_for_the_same_header_of_the_same_seller(
    client, keys, matching_engine
) -> None:
    created = _post(
        client, "", keys.vendor, _shop(), mapping=json.dumps(SHOP_MAPPING), game="POKEMON"
    )
    assert created.status_code == 202, created.text
    job = wait_for_job(client, keys.vendor, created.json()["id"])
    assert job["status"] == "succeeded", job
    first = _rows(client, keys.vendor, job["id"])
    assert [r["status"] in ("auto", "review") for r in first] == [True, True]
    assert [r["candidates"][0]["name"] for r in first] == ["Charizard", "Blastoise"]
    assert [r["quantity"] for r in first] == [1, 2]

    with matching_engine.connect() as conn:
        saved = conn.execute(
            sa.text(
                "SELECT format, mapping, updated_by FROM matching_saved_mappings"
                " WHERE seller_id = :seller"
            ),
            {"seller": keys.seller},
        ).all()
    assert len(saved) == 1 and saved[0].format is None and saved[0].mapping == SHOP_MAPPING
    assert saved[0].updated_by.startswith("vendor")

    # The same header (other spelling and order of the columns), new rows: the saved mapping.
    again = _shop("anzahl,KARTENNAME,Edition,Nr,Zustand", "3,Venusaur,Base,15,NM\n")
    preview = _post(client, "/preview", keys.vendor, again).json()
    assert preview["saved_mapping"]["applied"] is True
    assert preview["saved_mapping"]["mapping"] == SHOP_MAPPING
    assert preview["format"] == "generic" and preview["mapping"]["name"] == "KARTENNAME"
    assert preview["sample"][0]["error"] is None

    reused = _post(client, "", keys.vendor, again, game="POKEMON")
    assert reused.status_code == 202, reused.text
    job = wait_for_job(client, keys.vendor, reused.json()["id"])
    assert job["status"] == "succeeded", job
    (row,) = _rows(client, keys.vendor, job["id"])
    assert row["status"] in ("auto", "review") and row["quantity"] == 3
    assert row["candidates"][0]["name"] == "Venusaur"

    # Another seller's upload of that header is not read with this seller's mapping.
    other = _post(client, "/preview", keys.other_vendor, again).json()
    assert other["format"] is None and other["saved_mapping"] is None


def test_a_new_mapping_for_a_header_replaces_the_saved_one(client, keys, matching_engine) -> None:
    narrower = {"name": "Kartenname", "quantity": "Anzahl"}
    for mapping in (SHOP_MAPPING, narrower):
        created = _post(client, "", keys.vendor, _shop(), mapping=json.dumps(mapping))
        assert created.status_code == 202, created.text
    preview = _post(client, "/preview", keys.vendor, _shop()).json()
    assert preview["saved_mapping"]["mapping"] == narrower
    assert preview["mapping"] == narrower
    with matching_engine.connect() as conn:
        count = conn.execute(
            sa.text("SELECT count(*) FROM matching_saved_mappings WHERE seller_id = :seller"),
            {"seller": keys.seller},
        ).scalar()
    assert count == 1


def test_a_refused_upload_saves_no_mapping(client, keys) -> None:
    empty = _post(client, "", keys.vendor, _shop(rows=""), mapping=json.dumps(SHOP_MAPPING))
    assert empty.status_code == 422, empty.text
    preview = _post(client, "/preview", keys.vendor, _shop()).json()
    assert preview["saved_mapping"] is None


def test_an_admin_previews_for_a_seller_and_a_vendor_only_for_itself(client, keys) -> None:
    _post(client, "", keys.vendor, _shop(), mapping=json.dumps(SHOP_MAPPING))
    as_admin = _post(client, "/preview", keys.admin, _shop(), seller_id=keys.seller).json()
    assert as_admin["saved_mapping"]["mapping"] == SHOP_MAPPING
    refused = _post(client, "/preview", keys.vendor, _shop(), seller_id=keys.other_seller)
    assert refused.status_code == 403, refused.text


def _workbook() -> bytes:
    """A minimal .xlsx: a ZIP archive naming the workbook's parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "kind", "said"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "png", "a PNG image"),
        (_workbook(), "xlsx", "an Excel workbook (.xlsx)"),
    ],
)
def test_a_binary_file_is_refused_by_the_preview_as_by_the_job_upload(
    client, keys, content: bytes, kind: str, said: str
) -> None:
    preview = _post(client, "/preview", keys.vendor, content)
    upload = _post(client, "", keys.vendor, content)
    assert preview.status_code == upload.status_code == 422, preview.text
    body = preview.json()
    assert body == upload.json()
    assert body["code"] == "unknown_format" and body["looks_like"] == kind
    assert body["details"].startswith(f"This looks like {said}, not a CSV or JSON export.")
    forced = _post(client, "/preview", keys.vendor, content, format="generic")
    assert forced.status_code == 422 and forced.json()["looks_like"] == kind
