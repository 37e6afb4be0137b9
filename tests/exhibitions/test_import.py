"""CSV import of a fair's participants: the dry run, the import, and every kind of bad file."""

from __future__ import annotations

import codecs
import random

import pytest
from sqlmodel import select

from matchmaker.errors import PermissionDenied
from matchmaker.exhibitions import importing, service
from matchmaker.exhibitions.models import Registration
from matchmaker.profiles.models import Organization
from matchmaker.search.base import SearchQuery
from matchmaker.search.runtime import current_backend

from .conftest import add_org, count

HEADER = "organization name,country,role,contact email,services\n"
GOOD = (
    HEADER + "Nordlicht Versicherung AG,DE,buyer,einkauf@nordlicht.example,bpo.call_center\n"
    "Andes Analytics,Chile,exhibitor,hola@andes.example,Decision analysis\n"
    "Lakeview Hospital Trust,GB,visitor,it@lakeview.example,\n"
)


@pytest.fixture(autouse=True)
def _app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def fair(make_fair):
    return make_fair(capacity_buyer=2)


def problems(report) -> list[tuple[int, str, str]]:
    """Every row problem as (row number, column, message)."""
    return [(row.number, p.column, str(p.message)) for row in report.rows for p in row.problems]


def actions(report) -> list[tuple[int, str]]:
    return [(row.number, row.action) for row in report.rows]


def written(db) -> tuple[int, int]:
    return count(db, Organization), count(db, Registration)


# --- dry run and import ---------------------------------------------------------------


def test_dry_run_of_a_good_file_reports_and_writes_nothing(db, organizer, fair):
    before = written(db)

    report = importing.check_file(db, organizer, fair.id, GOOD.encode())

    assert report.ok
    assert report.problems == []
    assert problems(report) == []
    assert actions(report) == [(2, "create"), (3, "create"), (4, "create")]
    assert [(r.country, r.role, r.kind) for r in report.rows] == [
        ("DE", "buyer", "buyer"),
        ("CL", "exhibitor", "provider"),
        ("GB", "visitor", "buyer"),
    ]
    assert report.rows[1].services == ["kpo.decision_analysis"]
    assert written(db) == before


def test_import_creates_organizations_and_registrations(db, organizer, fair):
    orgs, registrations = written(db)

    report = importing.import_file(db, organizer, fair.id, GOOD.encode())

    assert report.imported
    assert written(db) == (orgs + 3, registrations + 3)
    created = db.exec(select(Organization).where(Organization.name == "Andes Analytics")).one()
    assert (created.kind, created.country, created.visibility) == ("provider", "CL", "members")
    assert created.services == ["kpo.decision_analysis"]
    registration = db.exec(
        select(Registration).where(Registration.organization_id == created.id)
    ).one()
    assert (registration.role, registration.status, registration.contact_email) == (
        "exhibitor",
        "registered",
        "hola@andes.example",
    )
    assert registration.decided_by_id == organizer.id


def test_imported_organizations_are_searchable_by_members(db, organizer, fair):
    importing.import_file(db, organizer, fair.id, GOOD.encode())

    members = current_backend().search(
        SearchQuery(text="Nordlicht", visibilities=("public", "members"))
    )
    public = current_backend().search(SearchQuery(text="Nordlicht"))

    nordlicht = db.exec(select(Organization).where(Organization.name.like("Nordlicht%"))).one()
    assert [hit.id for hit in members.hits] == [nordlicht.id]
    assert public.total == 0


def test_import_matches_an_existing_organization_ignoring_case_and_width(db, organizer, fair):
    existing = add_org(db, name="Dalian Haixin Software", country="CN", visibility="public")
    data = HEADER + "ＤＡＬＩＡＮ  haixin software,中国,参展商,bd@haixin.example,ito.software_rd\n"

    dry = importing.check_file(db, organizer, fair.id, data.encode())
    orgs = count(db, Organization)
    report = importing.import_file(db, organizer, fair.id, data.encode())

    assert [(r.action, r.organization_id) for r in dry.rows] == [("match", existing.id)]
    assert report.imported
    assert count(db, Organization) == orgs
    registration = db.exec(
        select(Registration).where(Registration.organization_id == existing.id)
    ).one()
    assert (registration.role, registration.contact_email) == ("exhibitor", "bd@haixin.example")
    db.refresh(existing)
    assert existing.visibility == "public"  # an existing profile is not touched


def test_a_file_with_one_bad_row_writes_nothing(db, organizer, fair):
    data = GOOD + "Broken Ltd,Atlantis,buyer,nobody@broken.example,bpo.call_center\n"
    before = written(db)

    report = importing.import_file(db, organizer, fair.id, data.encode())

    assert not report.imported
    assert problems(report) == [
        (
            5,
            "country",
            "Country “Atlantis” is not an ISO code or a country name we know; "
            "use a two-letter code such as DE or CN.",
        )
    ]
    assert written(db) == before


def test_import_checks_again_and_refuses_when_places_were_taken_meanwhile(
    db, organizer, fair, make_participant
):
    two_buyers = (
        HEADER + "Buyer One,DE,buyer,one@b.example,bpo.call_center\n"
        "Buyer Two,FR,buyer,two@b.example,bpo.call_center\n"
    )
    assert importing.check_file(db, organizer, fair.id, two_buyers.encode()).ok
    make_participant(fair, role="buyer")  # someone registers between the check and the import
    before = written(db)

    report = importing.import_file(db, organizer, fair.id, two_buyers.encode())

    assert not report.imported
    assert problems(report) == [(3, "role", "The buyer places are full (2 of 2).")]
    assert written(db) == before


def test_participants_may_not_check_or_import(db, fair, make_participant):
    _org, member, _registration = make_participant(fair)

    with pytest.raises(PermissionDenied):
        importing.check_file(db, member, fair.id, GOOD.encode())
    with pytest.raises(PermissionDenied):
        importing.import_file(db, member, fair.id, GOOD.encode())


# --- rows already there, places -----------------------------------------------------------


def test_an_organization_already_registered_is_skipped_not_an_error(
    db, organizer, fair, make_participant
):
    org, _user, _registration = make_participant(fair, name="Andes Analytics", country="CL")

    report = importing.check_file(db, organizer, fair.id, GOOD.encode())

    assert report.ok
    assert report.rows[1].action == "skip"
    assert (report.rows[1].organization_id, report.rows[1].status) == (org.id, "registered")
    assert report.count("skip") == 1


def test_a_withdrawn_organization_is_registered_again(db, organizer, fair, make_participant):
    _org, user, registration = make_participant(fair, name="Andes Analytics", country="CL")
    service.decide_registration(db, user, registration.id, "withdrawn")

    report = importing.import_file(db, organizer, fair.id, GOOD.encode())

    db.refresh(registration)
    assert report.rows[1].status == "withdrawn"
    assert (registration.status, registration.contact_email) == ("registered", "hola@andes.example")
    assert count(db, Registration) == 3  # the withdrawn one is reused, not doubled


def test_rows_beyond_a_roles_capacity_are_errors(db, organizer, fair):
    data = HEADER + "".join(
        f"Buyer {n},DE,buyer,b{n}@buyers.example,bpo.call_center\n" for n in range(1, 4)
    )

    report = importing.check_file(db, organizer, fair.id, data.encode())

    assert not report.ok
    assert problems(report) == [(4, "role", "The buyer places are full (2 of 2).")]


# --- the values of a row -------------------------------------------------------------------


def test_each_bad_value_is_reported_with_its_row_and_column(db, organizer, fair):
    data = (
        HEADER + "Alpha,Germny,buyer,alpha@a.example,bpo.call_center\n"
        "Beta,DE,speaker,beta@b.example,bpo.call_center\n"
        "Gamma,DE,buyer,not-an-address,bpo.call_center\n"
        "Delta,DE,buyer,delta@d.example,Call center\n"
        ",DE,buyer,eps@e.example,bpo.call_center\n"
        "Zeta,DE,exhibitor,zeta@z.example,\n"
    )

    report = importing.check_file(db, organizer, fair.id, data.encode())

    assert problems(report) == [
        (2, "country", "Country “Germny” is not an ISO code; did you mean DE?"),
        (3, "role", "Unknown role “speaker”; use exhibitor, buyer or visitor."),
        (4, "email", "“not-an-address” is not an e-mail address."),
        (
            5,
            "services",
            "Unknown service “Call center”; use a code such as bpo.call_center or its "
            "English name.",
        ),
        (6, "name", "The organization name is missing."),
        (7, "services", "Name at least one service (exhibitors and buyers)."),
    ]


def test_countries_are_codes_or_names_in_english_or_chinese(db, organizer, fair):
    data = HEADER + "".join(
        f"Firm {n},{country},visitor,f{n}@firms.example,\n"
        for n, country in enumerate(["de", "Germany", "德国", "USA", "United Kingdom"])
    )

    report = importing.check_file(db, organizer, fair.id, data.encode())

    assert [row.country for row in report.rows] == ["DE", "DE", "DE", "US", "GB"]
    assert problems(report) == []


def test_duplicate_rows_are_errors_on_the_second(db, organizer, fair):
    data = (
        HEADER + "Same Firm,DE,exhibitor,a@same.example,ito.software_rd\n"
        "SAME FIRM,Germany,buyer,b@same.example,bpo.call_center\n"
        "Other Firm,FR,exhibitor,a@same.example,ito.software_rd\n"
    )

    report = importing.check_file(db, organizer, fair.id, data.encode())

    assert problems(report) == [
        (3, "name", "Same organization and country as row 2."),
        (4, "email", "Same e-mail address as row 2."),
    ]
    assert report.rows[0].action == "create"


def test_optional_columns_kind_city_website_and_languages(db, organizer, fair):
    data = (
        "name,country,role,email,services,kind,city,website,languages\n"
        "Visiting Provider,CN,visitor,v@p.example,ito.software_rd,provider,Dalian,"
        "vp.example,Chinese;en\n"
    )

    report = importing.import_file(db, organizer, fair.id, data.encode())

    org = db.get(Organization, report.rows[0].organization_id)
    assert (org.kind, org.city, org.website, org.languages) == (
        "provider",
        "Dalian",
        "https://vp.example",
        ["zh", "en"],
    )


# --- the file as a whole ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("gb18030", b""),
    ],
)
def test_chinese_files_in_each_encoding_are_read(db, organizer, fair, encoding, prefix):
    text = (
        "企业名称\t国家\t角色\t邮箱\t服务\n"
        "大连海创软件有限公司\t中国\t参展商\tbd@hc.example\t呼叫中心\n"
    )

    report = importing.check_file(db, organizer, fair.id, prefix + text.encode(encoding))

    assert report.problems == []
    assert (report.rows[0].name, report.rows[0].services) == (
        "大连海创软件有限公司",
        ["bpo.call_center"],
    )
    assert report.delimiter == "\t"


def test_semicolons_separate_columns_too(db, organizer, fair):
    data = GOOD.replace(",", ";")

    report = importing.check_file(db, organizer, fair.id, data.encode())

    assert (report.delimiter, report.ok) == (";", True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "Müller GmbH,DE\n".encode("cp1252"),
            "The file is not UTF-8 text; save it as “CSV UTF-8” (Excel: File › Save As).",
        ),
        (
            random.Random(1).randbytes(4096),
            "The file is not UTF-8 text; save it as “CSV UTF-8” (Excel: File › Save As).",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "The file is not UTF-8 text; save it as “CSV UTF-8” (Excel: File › Save As).",
        ),
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf\r\n \n", "The file is empty."),
        (HEADER.encode(), "The file has a header but no participants."),
        (
            b"name,city\nAcme,Paris\n",
            "Columns missing: Country, Role, Contact e-mail, Services. The first row must "
            "name the columns (see the sample file).",
        ),
        (
            GOOD.replace(",", "|").encode(),
            "Columns missing: Organization name, Country, Role, Contact e-mail, Services. The "
            "first row must name the columns (see the sample file).",
        ),
        (
            b"name,company,country,role,email,services\n",
            "Two columns mean the same: “name” and “company”.",
        ),
        (b"x" * (10 * 1024 * 1024), "The file is larger than 2 MB; split it into several files."),
    ],
    ids=[
        "latin1",
        "random-bytes",
        "binary",
        "empty",
        "blank",
        "header-only",
        "missing-columns",
        "wrong-delimiter",
        "twice-the-same-column",
        "ten-megabytes",
    ],
)
def test_bad_files_give_one_clear_problem_and_write_nothing(db, organizer, fair, data, message):
    before = written(db)

    report = importing.import_file(db, organizer, fair.id, data)

    assert [str(problem) for problem in report.problems] == [message]
    assert not report.imported
    assert written(db) == before


def test_more_than_five_thousand_rows_is_refused(db, organizer, fair):
    data = HEADER + "".join(f"Firm {n},DE,visitor,f{n}@x.example,\n" for n in range(5001))

    report = importing.check_file(db, organizer, fair.id, data.encode())

    assert [str(p) for p in report.problems] == [
        "The file has more than 5,000 rows; split it into several files."
    ]


def test_the_sample_file_checks_cleanly(db, organizer, fair):
    from importlib import resources

    data = resources.files("matchmaker.exhibitions").joinpath("import_sample.csv").read_bytes()

    report = importing.check_file(db, organizer, fair.id, data)

    assert problems(report) == []
    assert report.ok


def test_a_cancelled_fair_takes_no_import(db, organizer, fair):
    service.set_status(db, organizer, fair.id, "cancelled")

    report = importing.import_file(db, organizer, fair.id, GOOD.encode())

    assert [str(p) for p in report.problems] == [
        "The fair is cancelled; nobody can register any more."
    ]
    assert count(db, Registration) == 0
