from matchmaker.config import load_config


def test_defaults_live_in_the_instance_folder(tmp_path):
    config = load_config(str(tmp_path), environ={})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'matchmaker.sqlite3'}"
    assert config["SEARCH_INDEX_PATH"] == str(tmp_path / "search.sqlite3")
    assert config["ELASTICSEARCH_URL"] == ""
    assert config["PER_PAGE"] == 20


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = load_config(str(tmp_path), environ={})["SECRET_KEY"]
    second = load_config(str(tmp_path), environ={})["SECRET_KEY"]
    assert len(first) == 64
    assert first == second
    assert (tmp_path / "secret_key").read_text() == first


def test_environment_variables_are_read_and_parsed(tmp_path):
    config = load_config(
        str(tmp_path),
        environ={
            "MATCHMAKER_DATABASE_URL": "postgresql+psycopg://db/matchmaker",
            "MATCHMAKER_SECRET_KEY": "from-env",
            "MATCHMAKER_PER_PAGE": "50",
            "MATCHMAKER_SECURE_COOKIES": "yes",
            "MATCHMAKER_PROXY_COUNT": "1",
        },
    )
    assert config["DATABASE_URL"] == "postgresql+psycopg://db/matchmaker"
    assert config["SECRET_KEY"] == "from-env"
    assert config["PER_PAGE"] == 50
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["PROXY_COUNT"] == 1
    assert not (tmp_path / "secret_key").exists()
