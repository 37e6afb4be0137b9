from matchmaker.accounts import service
from matchmaker.accounts.models import ApiToken, User


def test_register_creates_account_and_signs_in(client, db):
    response = client.post(
        "/account/register",
        data={
            "display_name": "Li Wei",
            "email": "Li@Example.com",
            "password": "s3cret-pass",
            "confirm": "s3cret-pass",
        },
    )
    assert response.status_code == 302
    user = service.user_by_email(db, "li@example.com")
    assert user.email == "li@example.com"
    assert user.password_hash.startswith("scrypt:")
    assert client.get("/account/").status_code == 200


def test_register_duplicate_email_any_case_is_refused(client, make_user):
    make_user("taken@example.com")
    response = client.post(
        "/account/register",
        data={
            "display_name": "X",
            "email": "TAKEN@example.com",
            "password": "s3cret-pass",
            "confirm": "s3cret-pass",
        },
    )
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_register_mismatched_passwords_shows_field_error(client):
    response = client.post(
        "/account/register",
        data={
            "display_name": "X",
            "email": "a@example.com",
            "password": "s3cret-pass",
            "confirm": "other-pass",
        },
    )
    assert response.status_code == 422
    assert "The passwords differ." in response.get_data(as_text=True)


def test_register_errors_come_in_the_readers_language(client):
    response = client.post(
        "/account/register?lang=fr",
        data={"display_name": "", "email": "bad", "password": "x", "confirm": "y"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'lang="fr"' in html
    assert "This field is required." not in html


def test_login_wrong_password_fails(client, make_user):
    make_user("u@example.com")
    response = client.post(
        "/account/login", data={"email": "u@example.com", "password": "nope-nope"}
    )
    assert response.status_code == 422
    assert "wrong" in response.get_data(as_text=True)


def test_login_ignores_offsite_next(client, make_user):
    make_user("u@example.com")
    response = client.post(
        "/account/login?next=https://evil.example/",
        data={"email": "u@example.com", "password": "password123"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_logout_ends_session(client, make_user, login):
    make_user("u@example.com")
    login("u@example.com")
    client.post("/account/logout")
    assert client.get("/account/").status_code == 302


def test_change_password(client, db, make_user, login):
    user = make_user("u@example.com")
    login("u@example.com")
    response = client.post(
        "/account/",
        data={
            "action": "password",
            "password-current_password": "password123",
            "password-new_password": "brand-new-pw",
            "password-confirm": "brand-new-pw",
        },
    )
    assert response.status_code == 303
    db.refresh(user)
    assert service.authenticate(db, "u@example.com", "brand-new-pw").id == user.id


def test_change_password_wrong_current_is_refused(client, make_user, login):
    make_user("u@example.com")
    login("u@example.com")
    response = client.post(
        "/account/",
        data={
            "action": "password",
            "password-current_password": "wrong-one",
            "password-new_password": "brand-new-pw",
            "password-confirm": "brand-new-pw",
        },
    )
    assert response.status_code == 422
    assert "The current password is wrong." in response.get_data(as_text=True)


def test_token_is_stored_hashed_and_revocable(db, make_user):
    user = make_user("u@example.com")
    token, plain = service.create_token(db, user, "crm")
    assert db.get(ApiToken, token.id).token_hash != plain
    assert service.user_for_token(db, plain).id == user.id
    service.revoke_token(db, user, token.id)
    assert service.user_for_token(db, plain) is None


def test_create_user_roles(db):
    user = service.create_user(db, "o@example.com", "password123", role="organizer")
    assert db.get(User, user.id).role == "organizer"


def test_repeated_failed_sign_ins_are_slowed_down(client, make_user):
    # The shared, database-backed throttle: more in tests/accounts/test_throttle.py.
    make_user("u@example.com")
    for _attempt in range(10):
        client.post("/account/login", data={"email": "u@example.com", "password": "wrong-guess"})
    response = client.post(
        "/account/login", data={"email": "u@example.com", "password": "password123"}
    )
    assert response.status_code == 429
    api = client.post(
        "/api/v1/auth/tokens", json={"email": "u@example.com", "password": "password123"}
    )
    assert api.status_code == 429
    assert api.json["error"]["code"] == "too_many_requests"


def test_forms_refuse_a_missing_csrf_token(app, make_user):
    make_user("u@example.com")
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post(
        "/account/login", data={"email": "u@example.com", "password": "password123"}
    )
    assert response.status_code == 400
    assert "This form expired" in response.get_data(as_text=True)
    assert client.get("/account/").status_code == 302
