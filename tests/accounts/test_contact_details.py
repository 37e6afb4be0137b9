from matchmaker.accounts.models import User


def _save(client, **fields):
    data = {"action": "contact", "contact-title": "", "contact-phone": ""}
    data.update(fields)
    return client.post("/account/", data=data)


def test_contact_details_are_saved(client, db, make_user, login):
    user = make_user("contact@example.com")
    login("contact@example.com")
    response = _save(
        client,
        **{
            "contact-title": "Sales director",
            "contact-phone": "+86 411 8888 1234",
            "contact-spoken_languages": ["zh", "en"],
        },
    )
    assert response.status_code == 303
    db.expire_all()
    saved = db.get(User, user.id)
    assert (saved.title, saved.phone, saved.spoken_languages) == (
        "Sales director",
        "+86 411 8888 1234",
        ["zh", "en"],
    )


def test_contact_details_bad_phone_is_a_field_error(client, db, make_user, login):
    user = make_user("phone@example.com")
    login("phone@example.com")
    response = _save(client, **{"contact-phone": "call me maybe"})
    assert response.status_code == 422
    assert "Use digits, spaces and + ( ) - only." in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(User, user.id).phone == ""


def test_contact_details_unknown_language_is_refused(client, db, make_user, login):
    user = make_user("lang@example.com")
    login("lang@example.com")
    response = _save(client, **{"contact-spoken_languages": ["xx-not"]})
    assert response.status_code == 422
    assert "Unknown language: xx-not." in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(User, user.id).spoken_languages == []


def test_settings_page_offers_language_checkboxes(client, make_user, login):
    make_user("boxes@example.com")
    login("boxes@example.com")
    html = client.get("/account/").get_data(as_text=True)
    assert 'name="contact-spoken_languages" value="zh"' in html
