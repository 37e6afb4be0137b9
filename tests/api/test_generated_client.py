"""A client generated from the OpenAPI document drives a real workflow with typed results."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import skip_or_fail


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def generated(client, tmp_path):
    """Generate the client package from the served document and import it."""
    tool = shutil.which("openapi-python-client")
    if tool is None:
        skip_or_fail("openapi-python-client is not installed (pip install -e '.[test]')")
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(client.get("/api/openapi.json").json))
    package = f"mmclient_{tmp_path.name.replace('-', '_')}"
    result = subprocess.run(
        [
            tool,
            "generate",
            "--path",
            str(document),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / package),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield lambda name: importlib.import_module(f"{package}.{name}")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith(package)]:
            del sys.modules[name]


def test_generated_client_workflow(generated, live_server, make_org, make_user):
    supplier = make_org(name="Dalian Haixin Software", services=["ito.software_rd"])
    make_org(kind="buyer", name="Gulf Logistics", services=["ito.software_rd"])
    make_user("admin@example.com", role="admin")
    client_mod, models = generated("client"), generated("models")
    auth, orgs, matching = (
        generated("api.auth.create_token"),
        generated("api.organizations"),
        generated("api.matching"),
    )
    anonymous = client_mod.Client(base_url=live_server + "/api", raise_on_unexpected_status=True)

    token = auth.sync(
        client=anonymous,
        body=models.Credentials(email="admin@example.com", password="password123"),
    )
    assert isinstance(token, models.NewToken)
    api = client_mod.AuthenticatedClient(
        base_url=live_server + "/api", token=token.token, raise_on_unexpected_status=True
    )

    list_op = importlib.import_module(orgs.__name__ + ".list_organizations")
    page = list_op.sync(client=api, kind=[models.Kind.PROVIDER], q="Dalian")
    assert isinstance(page, models.OrganizationPage)
    assert [item.name for item in page.items] == ["Dalian Haixin Software"]
    assert page.total == 1 and page.has_more is False

    get_op = importlib.import_module(orgs.__name__ + ".get_organization")
    read = get_op.sync(supplier.id, client=api)
    assert isinstance(read, models.Organization)
    assert read.country == models.CountryCode.CN

    create_op = importlib.import_module(orgs.__name__ + ".create_organization")
    new = models.NewOrganization(
        kind=models.Kind.BUYER,
        name="Andes Seguros",
        country=models.CountryCode.PE,
        services=[models.ServiceCode.ITO_SOFTWARE_RD],
    )
    created = create_op.sync(client=api, body=new)
    assert isinstance(created, models.Organization)
    assert created.kind == models.Kind.BUYER

    recommend = importlib.import_module(matching.__name__ + ".list_recommendations")
    suggestions = recommend.sync(created.id, client=api, limit=5)
    assert isinstance(suggestions, models.Suggestions)
    assert supplier.id in [s.organization.id for s in suggestions.items]

    save = importlib.import_module(matching.__name__ + ".save_partner")
    marked = save.sync(created.id, client=api, body=models.PartnerRef(organization_id=supplier.id))
    assert isinstance(marked, models.Marked) and marked.status == "saved"
    listed = importlib.import_module(matching.__name__ + ".list_saved").sync(created.id, client=api)
    assert [item.organization.id for item in listed.items] == [supplier.id]

    patch_op = importlib.import_module(orgs.__name__ + ".update_organization")
    texts = models.OrganizationChangesDescriptionType0.from_dict(
        {"en": "Insurer in Lima.", "es": "Aseguradora en Lima."}
    )
    patched = patch_op.sync(
        created.id, client=api, body=models.OrganizationChanges(description=texts)
    )
    assert isinstance(patched, models.Organization)
    assert patched.description.to_dict() == {"en": "Insurer in Lima.", "es": "Aseguradora en Lima."}

    delete_op = importlib.import_module(orgs.__name__ + ".delete_organization")
    assert delete_op.sync_detailed(created.id, client=api).status_code == 204
    gone = get_op.sync_detailed(created.id, client=api)
    assert gone.status_code == 404
    assert isinstance(gone.parsed, models.Error)
    assert gone.parsed.error.code == "not_found"


def test_generated_client_fair_workflow(generated, live_server, make_org, make_user):
    provider = make_org(name="Chengdu Tianfu Data", services=["bpo.data_processing"])
    buyer = make_org(kind="buyer", name="Gulf Logistics", services=["bpo.data_processing"])
    make_user("organizer@example.com", role="organizer")
    make_user("provider@example.com", organization_id=provider.id)
    make_user("buyer@example.com", organization_id=buyer.id)
    client_mod, models = generated("client"), generated("models")

    def op(name: str):
        return importlib.import_module(f"{models.__name__.rsplit('.', 1)[0]}.api.{name}")

    def signed_in(email: str):
        anonymous = client_mod.Client(base_url=live_server + "/api")
        token = op("auth.create_token").sync(
            client=anonymous, body=models.Credentials(email=email, password="password123")
        )
        return client_mod.AuthenticatedClient(
            base_url=live_server + "/api", token=token.token, raise_on_unexpected_status=True
        )

    organizer, as_provider, as_buyer = (
        signed_in(e) for e in ("organizer@example.com", "provider@example.com", "buyer@example.com")
    )
    body = models.NewExhibition.from_dict(
        {
            "name": {"en": "Dubai Outsourcing Forum", "ar": "منتدى دبي للتعهيد"},
            "timezone": "Asia/Dubai",
            "starts_on": "2027-03-02",
            "ends_on": "2027-03-03",
            "day_start": "10:00",
            "day_end": "16:00",
            "slot_minutes": 30,
            "tables": 5,
            "breaks": [{"starts": "13:00", "ends": "14:00"}],
        }
    )
    fair = op("exhibitions.create_exhibition").sync(client=organizer, body=body)
    assert isinstance(fair, models.Exhibition)
    assert fair.status == models.ExhibitionStatus.DRAFT
    published = op("exhibitions.update_exhibition").sync(
        fair.id,
        client=organizer,
        body=models.ExhibitionChanges(status=models.ExhibitionStatus.PUBLISHED),
    )
    assert published.status == models.ExhibitionStatus.PUBLISHED
    booth = op("exhibitions.create_booth").sync(
        fair.id, client=organizer, body=models.NewBooth(code="D01", hall="Hall 1", row=0, col=0)
    )

    register = op("exhibitions.register")
    for api, org, role in (
        (as_provider, provider, models.ParticipantRole.EXHIBITOR),
        (as_buyer, buyer, models.ParticipantRole.BUYER),
    ):
        registration = register.sync(
            fair.id, client=api, body=models.NewRegistration(organization_id=org.id, role=role)
        )
        assert registration.status == models.RegistrationStatus.REGISTERED
    booked = op("exhibitions.book_booth").sync(
        booth.id, client=as_provider, body=models.OrganizationRef(organization_id=provider.id)
    )
    assert booked.organization.id == provider.id

    slots = op("meetings.list_slots").sync(fair.id, client=as_provider)
    assert len(slots.items) == 20  # two days of 10:00–16:00 in 30 minutes, less lunch
    request = op("meetings.request_meeting").sync(
        fair.id,
        client=as_provider,
        body=models.NewMeeting(
            requester_id=provider.id, invitee_id=buyer.id, slot_id=slots.items[1].id
        ),
    )
    assert request.status == models.MeetingStatus.REQUESTED
    accepted = op("meetings.update_meeting").sync(
        request.id,
        client=as_buyer,
        body=models.MeetingChange(status=models.MeetingChangeStatus.ACCEPTED),
    )
    assert (accepted.status, accepted.table) == (models.MeetingStatus.ACCEPTED, "T01")
    agenda = op("meetings.list_meetings").sync(fair.id, client=as_provider)
    assert [(m.id, m.slot.id) for m in agenda.items] == [(request.id, slots.items[1].id)]
