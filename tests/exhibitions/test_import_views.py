"""The import page: upload and dry run, the kept file and its token, import, limits."""

from __future__ import annotations

import io
import re

import pytest

from matchmaker.exhibitions import views_import
from matchmaker.exhibitions.models import Registration
from matchmaker.profiles.models import Organization

from .conftest import add_org, count

GOOD = (
    "organization name,country,role,contact email,services\n"
    "Nordlicht Versicherung AG,DE,buyer,einkauf@nordlicht.example,bpo.call_center\n"
    "大连海创软件有限公司,中国,参展商,bd@haichuang.example,ito.software_rd\n"
)


@pytest.fixture
def uploads(app, tmp_path):
    folder = tmp_path / "imports"
    app.config["IMPORT_UPLOAD_DIR"] = str(folder)
    return folder


@pytest.fixture
def organizer_client(login, make_user):
    user = make_user(role="organizer")
    return login(user.email), user


@pytest.fixture
def fair(organizer_client, make_fair):
    _client, user = organizer_client
    return make_fair(actor=user)


def upload(client, fair, data: bytes, name: str = "participants.csv"):
    return client.post(
        f"/exhibitions/{fair.id}/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def token_of(html: str) -> str:
    found = re.search(r'name="token" type="hidden" value="([^"]+)"', html)
    return found.group(1) if found else ""


def written(db) -> tuple[int, int]:
    return count(db, Organization), count(db, Registration)


def test_the_page_explains_the_columns_and_offers_a_sample(organizer_client, fair, uploads):
    client, _user = organizer_client

    response = client.get(f"/exhibitions/{fair.id}/import")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<input type="file" id="file" name="file"' in html
    assert f'href="/exhibitions/{fair.id}/import/sample.csv" download' in html
    assert "组织名称, 企业名称" in html
    assert "At most 2 MB and 5,000 rows." in html


def test_the_sample_downloads_as_utf8_csv_with_a_bom(organizer_client, fair, uploads):
    client, _user = organizer_client

    response = client.get(f"/exhibitions/{fair.id}/import/sample.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbforganization name,country,role")


def test_participants_and_strangers_are_refused(app, login, db, fair, make_participant, uploads):
    stranger = app.test_client()
    assert stranger.get(f"/exhibitions/{fair.id}/import").status_code == 302  # to sign in
    member = login(_member_email(db, make_participant, fair))

    assert member.get(f"/exhibitions/{fair.id}/import").status_code == 403
    assert upload(member, fair, GOOD.encode()).status_code == 403
    assert member.get(f"/exhibitions/{fair.id}/import/sample.csv").status_code == 403


def _member_email(db, make_participant, fair) -> str:
    """A participant who can sign in (the factory's users have no password)."""
    from matchmaker.accounts.service import create_user

    org, _user, _registration = make_participant(fair)
    return create_user(
        db, "member-importer@example.com", "password123", organization_id=org.id
    ).email


def test_checking_a_file_shows_the_plan_and_writes_nothing(db, organizer_client, fair, uploads):
    client, _user = organizer_client
    before = written(db)

    response = upload(client, fair, GOOD.encode())

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The file is ready to import" in html
    assert "Create the organization (buyer) and register it as buyer." in html
    assert "Create the organization (provider) and register it as exhibitor." in html
    assert "Import 2 participants" in html
    assert token_of(html)
    assert len(list(uploads.glob("*.csv"))) == 1
    assert written(db) == before


def test_importing_the_checked_file_registers_everyone(db, organizer_client, fair, uploads):
    client, _user = organizer_client
    token = token_of(upload(client, fair, GOOD.encode()).get_data(as_text=True))
    orgs, registrations = written(db)

    response = client.post(f"/exhibitions/{fair.id}/import/confirm", data={"token": token})

    assert response.status_code == 303
    assert response.headers["Location"] == f"/exhibitions/{fair.id}/dashboard"
    assert written(db) == (orgs + 2, registrations + 2)
    assert list(uploads.glob("*.csv")) == []
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported 2 participants: 2 new organizations, 0 existing ones" in page


def test_a_file_with_problems_lists_them_and_cannot_be_imported(
    db, organizer_client, fair, uploads
):
    client, _user = organizer_client
    data = GOOD + "Broken,Germny,buyer,broken@example,bpo.call_center\n"

    response = upload(client, fair, data.encode())

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The file cannot be imported yet" in html
    assert (
        '<th scope="row">4</th>\n      <td><bdi>country</bdi></td>\n'
        "      <td>Country “Germny” is not an ISO code; did you mean DE?</td>"
    ) in html
    assert '<button type="submit" disabled aria-describedby="import-blocked">' in html
    assert token_of(html) == ""
    assert list(uploads.glob("*.csv")) == []


def test_a_file_in_a_wrong_encoding_gets_a_report_not_an_error(organizer_client, fair, uploads):
    client, _user = organizer_client

    response = upload(client, fair, "Müller GmbH;DE\n".encode("cp1252"))

    assert response.status_code == 422
    assert "The file is not UTF-8 text; save it as “CSV UTF-8”" in response.get_data(as_text=True)


@pytest.mark.parametrize("size", [2 * 1024 * 1024 + 1, 3 * 1024 * 1024, 10 * 1024 * 1024])
def test_a_file_over_two_megabytes_is_a_form_error(db, organizer_client, fair, uploads, size):
    client, _user = organizer_client
    before = written(db)

    response = upload(client, fair, b"a" * size)

    assert response.status_code == 413
    assert "The file is larger than 2 MB; split it into several files." in response.get_data(
        as_text=True
    )
    assert written(db) == before


def test_a_file_between_the_site_limit_and_two_megabytes_is_checked(
    organizer_client, fair, uploads
):
    client, _user = organizer_client
    filler = "".join(f"Firm {n},DE,visitor,f{n}@firms.example,\n" for n in range(4000))
    data = (GOOD + filler).encode()
    data += b"\n" * (1536 * 1024 - len(data))  # 1.5 MB: over the site's 1 MB form limit

    response = upload(client, fair, data)

    assert response.status_code == 200
    assert "Import 4,002 participants" in response.get_data(as_text=True)


def test_no_file_chosen_is_a_form_error(organizer_client, fair, uploads):
    client, _user = organizer_client

    response = client.post(
        f"/exhibitions/{fair.id}/import", data={}, content_type="multipart/form-data"
    )

    assert response.status_code == 422
    assert "Choose a CSV file to check." in response.get_data(as_text=True)


def test_a_forged_token_is_refused_clearly(db, organizer_client, fair, uploads):
    client, _user = organizer_client
    token = token_of(upload(client, fair, GOOD.encode()).get_data(as_text=True))
    before = written(db)

    response = client.post(f"/exhibitions/{fair.id}/import/confirm", data={"token": token + "x"})

    assert response.status_code == 422
    assert "This import is not valid any more; upload the file again." in response.get_data(
        as_text=True
    )
    assert written(db) == before


def test_a_token_for_another_fair_is_refused(db, organizer_client, fair, make_fair, uploads):
    client, user = organizer_client
    other = make_fair(actor=user)
    token = token_of(upload(client, fair, GOOD.encode()).get_data(as_text=True))

    response = client.post(f"/exhibitions/{other.id}/import/confirm", data={"token": token})

    assert response.status_code == 422
    assert count(db, Registration) == 0


def test_an_expired_upload_asks_for_the_file_again(
    db, organizer_client, fair, uploads, monkeypatch
):
    client, _user = organizer_client
    token = token_of(upload(client, fair, GOOD.encode()).get_data(as_text=True))
    monkeypatch.setattr(views_import, "KEPT_SECONDS", -1)

    response = client.post(f"/exhibitions/{fair.id}/import/confirm", data={"token": token})

    assert response.status_code == 422
    assert "The checked file expired after an hour; upload it again." in response.get_data(
        as_text=True
    )
    assert count(db, Registration) == 0


def test_a_removed_upload_asks_for_the_file_again(db, organizer_client, fair, uploads):
    client, _user = organizer_client
    token = token_of(upload(client, fair, GOOD.encode()).get_data(as_text=True))
    for path in uploads.glob("*.csv"):
        path.unlink()

    response = client.post(f"/exhibitions/{fair.id}/import/confirm", data={"token": token})

    assert response.status_code == 422
    assert "The checked file expired after an hour" in response.get_data(as_text=True)


def test_importing_twice_skips_what_the_first_import_registered(
    db, organizer_client, fair, uploads
):
    client, _user = organizer_client
    token = token_of(upload(client, fair, GOOD.encode()).get_data(as_text=True))
    client.post(f"/exhibitions/{fair.id}/import/confirm", data={"token": token})

    response = upload(client, fair, GOOD.encode())

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.count("Skipped: already registered (registered).") == 2
    assert "Nothing to import: every organization in the file is registered already." in html


def test_an_upload_without_the_csrf_token_is_refused(app, db, organizer_client, fair, uploads):
    client, _user = organizer_client
    app.config["WTF_CSRF_ENABLED"] = True
    before = written(db)

    response = upload(client, fair, GOOD.encode())

    assert response.status_code == 400
    assert list(uploads.glob("*.csv")) == []
    assert written(db) == before


def test_a_stranger_posting_a_huge_file_is_sent_to_sign_in(app, fair, uploads):
    response = upload(app.test_client(), fair, b"x" * (3 * 1024 * 1024))

    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_the_plan_names_the_existing_organization_a_row_matches(
    db, organizer_client, fair, uploads
):
    client, _user = organizer_client
    existing = add_org(db, name="Nordlicht Versicherung AG", country="DE")

    html = upload(client, fair, GOOD.encode()).get_data(as_text=True)

    assert (
        f"Match the existing organization #{existing.id} (same name and country) and register "
        "it as buyer."
    ) in html
    assert (
        f'<a href="/organizations/{existing.id}"><bdi>Nordlicht Versicherung AG</bdi></a>' in html
    )
