"""CSV import of a fair's participants: read the file, check every row, then import at once.

``check_file`` is the dry run (writes nothing); ``import_file`` checks the same bytes again
under the fair's lock (the database may have changed since) and writes everything in one
transaction, or nothing when any row is bad.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from babel import Locale
from flask import has_app_context
from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from matchmaker import reference
from matchmaker.accounts.models import User, utcnow
from matchmaker.accounts.service import normalize_email, valid_email
from matchmaker.errors import Conflict, ValidationFailed
from matchmaker.i18n import LOCALES
from matchmaker.profiles.models import GraphChange, Organization
from matchmaker.profiles.service import sync_search, validate

from .access import editable_exhibition, lock_exhibition
from .models import Exhibition, Registration

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# Imported firms have not claimed their profile yet: signed-in members (fellow participants)
# see them, so they can be met at the fair; the public directory does not list them.
IMPORTED_VISIBILITY = "members"
COUNTED = ("registered", "pending")  # as in registrations.py: these hold a place

# Canonical column -> header names people use (compared after _header_key).
COLUMNS: dict[str, tuple[str, ...]] = {
    key: tuple(aliases.split("|"))
    for key, aliases in {
        "name": "organization name|organisation name|organization|organisation|name|company"
        "|company name|组织名称|企业名称|公司名称|单位名称|名称",
        "country": "country|country or region|country code|国家|国家或地区|国家/地区",
        "role": "role|participation|角色|参会身份",
        "email": "contact email|contact e-mail|email|e-mail|邮箱|联系邮箱|电子邮件",
        "services": "services|service|服务|服务类别|服务内容",
        "city": "city|城市",
        "website": "website|web site|url|网站|网址",
        "kind": "kind|type|provider or buyer|类型",
        "languages": "languages|language|working languages|语言|工作语言",
    }.items()
}
REQUIRED = ("name", "country", "role", "email", "services")
COLUMN_LABELS = {
    "name": _l("Organization name"),
    "country": _l("Country"),
    "role": _l("Role"),
    "email": _l("Contact e-mail"),
    "services": _l("Services"),
    "city": _l("City"),
    "website": _l("Website"),
    "kind": _l("Kind"),
    "languages": _l("Languages"),
}
ROLE_WORDS = {
    "exhibitor": ("exhibitor", "参展商", "展商"),
    "buyer": ("buyer", "采购商", "买家"),
    "visitor": ("visitor", "观众", "参观者"),
}
KIND_WORDS = {
    "provider": ("provider", "supplier", "服务商", "供应商", "接包方"),
    "buyer": ("buyer", "client", "采购商", "买家", "发包方"),
}
# Without a kind column: exhibitors show their services, buyers and visitors come to source.
KIND_OF_ROLE = {"exhibitor": "provider", "buyer": "buyer", "visitor": "buyer"}
# Short English names CLDR does not give as the country's name.
COUNTRY_ALIASES = {
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "america": "US",
    "united states of america": "US",
    "uae": "AE",
    "hong kong": "HK",
    "macao": "MO",
    "macau": "MO",
    "korea": "KR",
    "中国香港": "HK",
    "中国澳门": "MO",
}
_SPLIT = re.compile(r"[;|\n、；]+")
_COMMAS = re.compile(r"[,，]+")
_LIST = re.compile(r"[;,|\n、，；]+")
_SPACES = re.compile(r"\s+")
# Control characters no text file has: the file is binary.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _number(n: int) -> str:
    """A number in the reader's locale (plain digits outside a request, e.g. in scripts)."""
    return format_number(n) if has_app_context() else str(n)


class FileProblem(Exception):
    """The file as a whole cannot be read (encoding, header, size)."""


@dataclass
class Problem:
    column: str  # canonical column key, or "" for the row as a whole
    message: object  # a lazy string


@dataclass
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    cells: dict[str, str]
    name: str = ""
    country: str = ""
    role: str = ""
    kind: str = ""
    email: str = ""
    services: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    profile: dict = field(default_factory=dict)  # checked fields of a new organization
    problems: list[Problem] = field(default_factory=list)
    action: str = ""  # create | match | skip ("" while the row has problems)
    organization_id: int | None = None
    status: str = ""  # the existing registration's status (skip) or "withdrawn" (come back)


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    problems: list[object] = field(default_factory=list)  # about the whole file
    headers: dict[str, str] = field(default_factory=dict)  # canonical key -> header in file
    ignored: list[str] = field(default_factory=list)  # headers we do not know
    encoding: str = ""
    delimiter: str = ""
    imported: bool = False

    @property
    def bad_rows(self) -> list[Row]:
        return [row for row in self.rows if row.problems]

    @property
    def ok(self) -> bool:
        return (
            not self.problems
            and not self.bad_rows
            and any(row.action in ("create", "match") for row in self.rows)
        )

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.problems)

    def column_label(self, key: str) -> str:
        return self.headers.get(key) or str(COLUMN_LABELS.get(key, key))


# --- reading the file --------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and encoding: a BOM decides; else strict UTF-8; else Chinese GB18030."""
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    not_text = FileProblem(
        _l("The file is not UTF-8 text; save it as “CSV UTF-8” (Excel: File › Save As).")
    )
    text = encoding = None
    for bom, name in boms:
        if data.startswith(bom):
            try:
                text, encoding = data.decode(name), name
            except UnicodeDecodeError:
                raise not_text from None
            break
    if text is None:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _chinese(data), "gb18030"
            if text is None:
                raise not_text from None
    if _CONTROL.search(text):
        raise not_text
    return text, encoding


def _chinese(data: bytes) -> str | None:
    """GB18030 text when the bytes decode cleanly and read as Chinese, else None.

    Almost any bytes decode as GB18030, so the non-ASCII characters must also be common
    Chinese ones (GB2312): Latin-1 text misread as GB18030 mostly is not.
    """
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    wide = [ch for ch in text if ord(ch) > 127]
    common = sum(1 for ch in wide if _in_gb2312(ch))
    return text if wide and common >= 0.95 * len(wide) else None


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip().strip("*:：").strip()
    return re.sub(r"[\s_\-]+", "", text)


@cache
def _header_aliases() -> dict[str, str]:
    return {_header_key(alias): key for key, aliases in COLUMNS.items() for alias in aliases}


def _delimiter(header_line: str) -> str:
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: header_line.count(d) for d in (",", ";", "\t")}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def read_table(text: str, report: Report) -> list[Row]:
    """Rows of the file by canonical column; raise FileProblem on a header we cannot use."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise FileProblem(_l("The file is empty."))
    first_line = text.lstrip("\r\n").splitlines()[0]
    report.delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=report.delimiter)
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):
            header = next(reader)
        columns: list[str | None] = []
        for cell in header:
            key = _header_aliases().get(_header_key(cell))
            if key is not None and key in report.headers:
                raise FileProblem(
                    _l(
                        "Two columns mean the same: “%(a)s” and “%(b)s”.",
                        a=report.headers[key],
                        b=cell.strip(),
                    )
                )
            if key is not None:
                report.headers[key] = cell.strip()
            elif cell.strip():
                report.ignored.append(cell.strip()[:60])
            columns.append(key)
        missing = [str(COLUMN_LABELS[key]) for key in REQUIRED if key not in report.headers]
        if missing:
            raise FileProblem(
                _l(
                    "Columns missing: %(columns)s. The first row must name the columns "
                    "(see the sample file).",
                    columns=", ".join(missing),
                )
            )
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise FileProblem(
                    _l(
                        "The file has more than %(n)s rows; split it into several files.",
                        n=_number(MAX_ROWS),
                    )
                )
            values = {
                key: cell.strip()
                for key, cell in zip(columns, cells, strict=False)
                if key is not None
            }
            row = Row(number=reader.line_num, cells=values)
            if any(cell.strip() for cell in cells[len(columns) :]):
                row.problems.append(Problem("", _l("This row has more cells than the header.")))
            rows.append(row)
    except csv.Error as error:
        raise FileProblem(
            _l("The file is not valid CSV near line %(n)s.", n=reader.line_num)
        ) from error
    except StopIteration:
        raise FileProblem(_l("The file is empty.")) from None
    if not rows:
        raise FileProblem(_l("The file has a header but no participants."))
    return rows


# --- one row's values ---------------------------------------------------------------


def fold(text: str) -> str:
    """Compare names ignoring case, full-width forms and runs of spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


@cache
def _country_names() -> dict[str, str]:
    """Country names in every shipped language (CLDR) and common short forms -> ISO code."""
    known = reference.countries()
    names: dict[str, str] = {}
    for locale in LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if code in known:
                names.setdefault(fold(name), code)
    names.update(COUNTRY_ALIASES)
    return names


def _country(value: str, row: Row) -> str:
    code = value.strip().upper()
    if code in reference.countries():
        return code
    found = _country_names().get(fold(value))
    if found:
        return found
    english = {
        fold(name): code
        for code, name in Locale("en").territories.items()
        if code in reference.countries()
    }
    guess = difflib.get_close_matches(fold(value), list(english), n=1, cutoff=0.75)
    if guess:
        message = _l(
            "Country “%(value)s” is not an ISO code; did you mean %(code)s?",
            value=value[:60],
            code=english[guess[0]],
        )
    else:
        message = _l(
            "Country “%(value)s” is not an ISO code or a country name we know; "
            "use a two-letter code such as DE or CN.",
            value=value[:60],
        )
    row.problems.append(Problem("country", message))
    return ""


@cache
def _service_names() -> dict[str, str]:
    names = {}
    for service in reference.services():
        for name in (service.code, service.name_en, service.name_zh):
            names[fold(name)] = service.code
    return names


def _service_parts(value: str) -> list[str]:
    """Cells separate services by semicolons; commas too, unless a name holds one."""
    parts = []
    for part in _SPLIT.split(value):
        if fold(part) in _service_names():
            parts.append(part)
        else:
            parts.extend(_COMMAS.split(part))
    return [part.strip() for part in parts if part.strip()]


def _services(value: str, row: Row) -> list[str]:
    codes = []
    for part in _service_parts(value):
        code = _service_names().get(fold(part))
        if code is None:
            guess = difflib.get_close_matches(fold(part), list(_service_names()), n=1, cutoff=0.6)
            hint = _service_names()[guess[0]] if guess else "ito.software_rd"
            row.problems.append(
                Problem(
                    "services",
                    _l(
                        "Unknown service “%(value)s”; use a code such as %(code)s or its "
                        "English name.",
                        value=part[:60],
                        code=hint,
                    ),
                )
            )
        elif code not in codes:
            codes.append(code)
    return codes


@cache
def _language_names() -> dict[str, str]:
    names = {code: code for code in reference.LANGUAGE_CODES}
    for locale in ("en", "zh_Hans"):
        for code, name in Locale.parse(locale).languages.items():
            if code in reference.LANGUAGE_CODES:
                names.setdefault(fold(name), code)
    return names


def _languages(value: str, row: Row) -> list[str]:
    codes = []
    for part in _LIST.split(value):
        if not part.strip():
            continue
        code = _language_names().get(fold(part))
        if code is None:
            row.problems.append(
                Problem(
                    "languages",
                    _l(
                        "Unknown language “%(value)s”; use a code such as en or zh.",
                        value=part.strip()[:60],
                    ),
                )
            )
        elif code not in codes:
            codes.append(code)
    return codes


def _word(value: str, words: dict[str, tuple[str, ...]]) -> str | None:
    folded = fold(value)
    return next((key for key, names in words.items() if folded in names), None)


def check_row(row: Row) -> None:
    """Read and check one row's values (the database is not asked here)."""
    cells = row.cells
    row.name = _SPACES.sub(" ", cells.get("name", "")).strip()
    if not row.name:
        row.problems.append(Problem("name", _l("The organization name is missing.")))
    elif len(row.name) > 200:
        row.problems.append(Problem("name", _l("Use at most %(n)d characters.", n=200)))
    if cells.get("country"):
        row.country = _country(cells["country"], row)
    else:
        row.problems.append(Problem("country", _l("The country is missing.")))
    row.role = _word(cells.get("role", ""), ROLE_WORDS) or ""
    if not row.role:
        row.problems.append(
            Problem(
                "role",
                _l(
                    "Unknown role “%(value)s”; use exhibitor, buyer or visitor.",
                    value=cells.get("role", "")[:60],
                ),
            )
        )
    kind = cells.get("kind", "")
    row.kind = _word(kind, KIND_WORDS) if kind else KIND_OF_ROLE.get(row.role, "")
    if kind and not row.kind:
        row.problems.append(
            Problem(
                "kind",
                _l("Unknown kind “%(value)s”; use provider or buyer.", value=kind[:60]),
            )
        )
    row.email = normalize_email(cells.get("email", ""))
    if not row.email:
        row.problems.append(Problem("email", _l("The contact e-mail is missing.")))
    elif not valid_email(row.email):
        row.problems.append(
            Problem(
                "email",
                _l("“%(value)s” is not an e-mail address.", value=cells["email"][:80]),
            )
        )
    row.services = _services(cells.get("services", ""), row)
    if not row.services and row.role in ("exhibitor", "buyer") and not row.problems:
        row.problems.append(
            Problem("services", _l("Name at least one service (exhibitors and buyers)."))
        )
    row.languages = _languages(cells.get("languages", ""), row)


def _check_profile(row: Row) -> None:
    """A new organization's fields pass the profile form's own checks."""
    data = {
        "kind": row.kind,
        "name": row.name,
        "country": row.country,
        "city": row.cells.get("city", ""),
        "website": row.cells.get("website", ""),
        "services": row.services,
        "languages": row.languages,
        "visibility": IMPORTED_VISIBILITY,
    }
    try:
        row.profile = validate(data)
    except ValidationFailed as error:
        for key, message in error.fields.items():
            row.problems.append(Problem(key if key in COLUMNS else "", message))


# --- against the database -------------------------------------------------------------


def _plan(db: Session, exhibition: Exhibition, rows: list[Row]) -> None:
    """Duplicates, existing organizations and registrations, capacity: what each row does."""
    countries = {row.country for row in rows if row.country}
    existing: dict[tuple[str, str], int] = {}
    if countries:
        found = db.exec(
            select(Organization.id, Organization.name, Organization.country)
            .where(Organization.country.in_(countries))
            .order_by(Organization.id)
        )
        for org_id, name, country in found:
            existing.setdefault((fold(name), country), org_id)
    registrations = {
        r.organization_id: r
        for r in db.exec(select(Registration).where(Registration.exhibition_id == exhibition.id))
    }
    taken = dict(
        db.exec(
            select(Registration.role, func.count(Registration.id))
            .where(Registration.exhibition_id == exhibition.id, Registration.status.in_(COUNTED))
            .group_by(Registration.role)
        ).all()
    )
    by_name: dict[tuple[str, str], int] = {}
    by_email: dict[str, int] = {}
    for row in rows:
        key = (fold(row.name), row.country)
        if row.name and row.country and key in by_name:
            row.problems.append(
                Problem(
                    "name",
                    _l("Same organization and country as row %(n)s.", n=by_name[key]),
                )
            )
        elif row.email and row.email in by_email:
            row.problems.append(
                Problem("email", _l("Same e-mail address as row %(n)s.", n=by_email[row.email]))
            )
        by_name.setdefault(key, row.number)
        if row.email:
            by_email.setdefault(row.email, row.number)
        if row.problems:
            continue
        row.organization_id = existing.get(key)
        registration = registrations.get(row.organization_id)
        if registration is not None and registration.status != "withdrawn":
            row.action, row.status = "skip", registration.status
            continue
        if registration is not None:
            row.status = "withdrawn"
        if row.organization_id is None:
            _check_profile(row)
            if row.problems:
                continue
        capacity = exhibition.capacity_for(row.role)
        if capacity is not None and taken.get(row.role, 0) >= capacity:
            row.problems.append(
                Problem(
                    "role",
                    _l(
                        "The %(role)s places are full (%(taken)s of %(capacity)s).",
                        role=ROLE_NAMES[row.role],
                        taken=taken.get(row.role, 0),
                        capacity=capacity,
                    ),
                )
            )
            continue
        taken[row.role] = taken.get(row.role, 0) + 1
        row.action = "match" if row.organization_id else "create"


# Translators: fills "The %(role)s places are full"; lower case inside the sentence.
ROLE_NAMES = {"exhibitor": _l("exhibitor"), "buyer": _l("buyer"), "visitor": _l("visitor")}


def _read(db: Session, exhibition: Exhibition, data: bytes) -> Report:
    report = Report()
    if exhibition.status == "cancelled":
        report.problems.append(_l("The fair is cancelled; nobody can register any more."))
        return report
    if len(data) > MAX_BYTES:
        report.problems.append(
            _l("The file is larger than %(size)s; split it into several files.", size="2 MB")
        )
        return report
    try:
        text, report.encoding = decode(data)
        report.rows = read_table(text, report)
    except FileProblem as problem:
        report.problems.append(problem.args[0])
        return report
    for row in report.rows:
        check_row(row)
    _plan(db, exhibition, report.rows)
    return report


def check_file(db: Session, actor: User | None, exhibition_id: int, data: bytes) -> Report:
    """The dry run: what importing these CSV bytes would do, row by row. Writes nothing."""
    exhibition = editable_exhibition(db, actor, exhibition_id)
    return _read(db, exhibition, data)


def import_file(db: Session, actor: User | None, exhibition_id: int, data: bytes) -> Report:
    """Check the file again and import it in one transaction; with any problem, write nothing.

    New organizations are created unclaimed (visibility "members"); every row that is not
    skipped gets a registration with status "registered" and the row's contact e-mail.
    """
    exhibition = editable_exhibition(db, actor, exhibition_id)
    lock_exhibition(db, exhibition.id)  # places are counted and taken under the lock
    report = _read(db, exhibition, data)
    if not report.ok:
        db.rollback()
        return report
    registrations = {
        r.organization_id: r
        for r in db.exec(select(Registration).where(Registration.exhibition_id == exhibition.id))
    }
    now = utcnow()
    try:
        new = {
            row.number: Organization(**{k: v for k, v in row.profile.items() if k != "description"})
            for row in report.rows
            if row.action == "create"
        }
        db.add_all(new.values())
        db.flush()  # one batch of inserts gives every new organization its id
        # The matching graphs learn of them as log_graph_change would tell them, in one batch.
        db.add_all(GraphChange(organization_id=org.id) for org in new.values())
        for row in report.rows:
            if row.action not in ("create", "match"):
                continue
            if row.number in new:
                row.organization_id = new[row.number].id
            registration = registrations.get(row.organization_id) or Registration(
                exhibition_id=exhibition.id, organization_id=row.organization_id
            )
            registration.role = row.role
            registration.status = "registered"
            registration.reason = ""
            registration.contact_email = row.email
            registration.created_at = registration.decided_at = now
            registration.decided_by_id = actor.id
            db.add(registration)
        db.flush()
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Conflict(
            _l("The fair's registrations changed while importing; check the file again.")
        ) from None
    created = [org.id for org in new.values()]
    report.imported = True
    for start in range(0, len(created), 500):
        sync_search(db, created[start : start + 500])
    return report
