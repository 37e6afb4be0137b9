import pytest

from matchmaker.safety import is_local_path


@pytest.mark.parametrize(
    "target",
    ["/organizations/3", "/organizations?q=a&kind=buyer", "/%5Cevil.com"],
)
def test_local_paths_are_followed(target):
    assert is_local_path(target)


@pytest.mark.parametrize(
    "target",
    [
        "",
        None,
        "//evil.com",
        "/\\evil.com",
        "/\t/evil.com",
        "/\n/x",
        "https://evil.com",
        "https:/evil.com",
        "evil.com",
        "javascript:alert(1)",
        "/\x7f/x",
    ],
)
def test_other_hosts_and_control_characters_are_refused(target):
    assert not is_local_path(target)


def test_language_switch_links_stay_relative(client):
    html = client.get("/%5Cevil.com").get_data(as_text=True)
    assert 'href="?lang=ar"' in html
    assert "evil.com?lang" not in html


def test_save_redirect_refuses_a_tab_trick(client, make_org, make_user, login):
    buyer = make_org(kind="buyer", services=["ito.software_rd"])
    provider = make_org(kind="provider", services=["ito.software_rd"])
    make_user("b@example.com", organization_id=buyer.id)
    login("b@example.com")
    for trick in ["/\t/evil.com", "/\n/x", "//evil.com"]:
        response = client.post(
            f"/organizations/{buyer.id}/partners/{provider.id}/save", data={"next": trick}
        )
        assert response.status_code == 303
        assert response.headers["Location"].startswith(f"/organizations/{buyer.id}")


def test_absurd_founding_year_is_a_form_error(client, make_user, login):
    make_user("m@example.com")
    login("m@example.com")
    response = client.post(
        "/organizations/new",
        data={
            "kind": "provider",
            "name": "X",
            "country": "CN",
            "visibility": "public",
            "founded": "9" * 309,
        },
    )
    assert response.status_code == 422
