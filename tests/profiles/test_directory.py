def test_directory_filters_by_kind_and_country(client, make_org):
    make_org(name="Alpha Soft", kind="provider", country="CN")
    make_org(name="Beta Bank", kind="buyer", country="DE", services=["bpo.call_center"])
    make_org(name="Gamma Insure", kind="buyer", country="SA", services=["bpo.call_center"])
    html = client.get("/organizations?kind=buyer&country=DE").get_data(as_text=True)
    assert "Beta Bank" in html
    assert "Gamma Insure" not in html
    assert "Alpha Soft" not in html


def test_directory_filters_by_market_group(client, make_org):
    make_org(name="Beta Bank", kind="buyer", country="DE")
    make_org(name="Gamma Insure", kind="buyer", country="SA")
    html = client.get("/organizations?market=belt_and_road").get_data(as_text=True)
    assert "Gamma Insure" in html
    assert "Beta Bank" not in html


def test_directory_filters_by_family_and_language(client, make_org):
    make_org(name="Alpha Soft", services=["ito.software_rd"], languages=["ar"])
    make_org(name="Delta Calls", services=["bpo.call_center"], languages=["ar"])
    make_org(name="Echo Calls", services=["bpo.call_center"], languages=["ru"])
    html = client.get("/organizations?family=bpo&language=ar").get_data(as_text=True)
    assert "Delta Calls" in html
    assert "Alpha Soft" not in html
    assert "Echo Calls" not in html


def test_directory_paginates(client, make_org):
    for n in range(25):
        make_org(name=f"Firm {n:02d}")
    first = client.get("/organizations?per_page=10").get_data(as_text=True)
    third = client.get("/organizations?per_page=10&page=3").get_data(as_text=True)
    assert "Firm 00" in first
    assert "Firm 24" in third
    assert '<span class="current" aria-current="page">3</span>' in third
    past = client.get("/organizations?per_page=10&page=9").get_data(as_text=True)
    assert "This page is past the last one" in past


def test_directory_empty_state(client):
    html = client.get("/organizations?country=FJ").get_data(as_text=True)
    assert "Nothing matches" in html


def test_directory_bad_filter_value_gives_message_not_500(client, make_org):
    make_org(name="Alpha Soft")
    response = client.get("/organizations?country=ZZZ&page=-3")
    assert response.status_code == 422
    assert "Unknown value" in response.get_data(as_text=True)


def test_directory_hides_hidden_and_members_only_from_anonymous(client, make_org):
    make_org(name="Open Firm")
    make_org(name="Secret Firm", visibility="hidden")
    make_org(name="Club Firm", visibility="members")
    html = client.get("/organizations").get_data(as_text=True)
    assert "Open Firm" in html
    assert "Secret Firm" not in html
    assert "Club Firm" not in html


def test_search_finds_service_names_in_every_language(client, make_org):
    make_org(name="Wuxi Voice", services=["bpo.call_center"], texts={"en": "Multilingual agents."})
    make_org(name="Other Firm", services=["kpo.industrial_design"], texts={"en": "Design."})
    for query in ["呼叫中心", "Call centre", "Wuxi"]:
        body = client.get("/api/v1/organizations", query_string={"q": query}).json
        assert [item["name"] for item in body["items"]] == ["Wuxi Voice"], query


def test_search_results_page_highlights_and_keeps_filters(client, make_org):
    make_org(
        name="Dalian Soft", texts={"zh_Hans": "我们开发银行软件。", "en": "We build bank software."}
    )
    make_org(
        name="Berlin Bank", kind="buyer", country="DE", texts={"en": "A bank that needs software."}
    )
    html = client.get("/organizations?q=软件&kind=provider&lang=zh_Hans").get_data(as_text=True)
    assert "<mark>软件</mark>" in html
    assert "Dalian Soft" in html
    assert "Berlin Bank" not in html
    assert 'name="kind" value="provider"' in html


def test_search_one_chinese_character(client, make_org):
    make_org(name="Harbin Cloud", texts={"zh_Hans": "云服务"})
    make_org(name="Other", texts={"zh_Hans": "软件"})
    body = client.get("/api/v1/organizations", query_string={"q": "云"}).json
    assert [item["name"] for item in body["items"]] == ["Harbin Cloud"]


def test_search_can_sort_by_name(client, make_org):
    make_org(name="Zeta Software", texts={"en": "software software software"})
    make_org(name="Alpha Software", texts={"en": "We also do software."})
    body = client.get("/api/v1/organizations", query_string={"q": "software", "sort": "name"}).json
    assert [item["name"] for item in body["items"]] == ["Alpha Software", "Zeta Software"]
    assert client.get("/api/v1/organizations?q=x&sort=price").status_code == 422


def test_search_understands_other_spellings_and_synonyms(client, make_org):
    make_org(name="Wuxi Voice", services=["bpo.call_center"], texts={"en": "Agents."})
    make_org(name="Ledger House", services=["bpo.finance_tax"], texts={"en": "Numbers."})
    for query, expected in [
        ("call center", "Wuxi Voice"),
        ("مركز اتصال", "Wuxi Voice"),
        ("bookkeeping", "Ledger House"),
        ("бухгалтерия", "Ledger House"),
    ]:
        body = client.get("/api/v1/organizations", query_string={"q": query}).json
        assert [item["name"] for item in body["items"]] == [expected], query
        assert body["items"][0]["highlight"] == body["items"][0]["description"]["en"]


def test_last_page_stops_at_the_result_window():
    from matchmaker.profiles.directory import DirectoryPage
    from matchmaker.search.base import SearchQuery

    assert DirectoryPage(query=SearchQuery(per_page=20), total=12_000).pages == 500
    assert DirectoryPage(query=SearchQuery(per_page=20), total=41).pages == 3
    assert DirectoryPage(query=SearchQuery(per_page=20), total=0).pages == 1
