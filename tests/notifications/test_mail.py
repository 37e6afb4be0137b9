"""The outbox sender against a real SMTP server: delivery, outages, refusals, races."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from flask_babel import force_locale
from sqlmodel import select

from matchmaker.notifications.mail import SmtpSettings, deliver_due, retry_delay
from matchmaker.notifications.messages import render_text
from matchmaker.notifications.models import OutboxMail
from matchmaker.notifications.service import notify, queue_mail

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _queue(app, db, count=1, now=NOW):
    with app.app_context():
        for n in range(count):
            queue_mail(db, f"to{n}@example.com", f"Subject {n}", f"Body {n}")
        db.commit()
    for row in db.exec(select(OutboxMail)):
        row.created_at = row.next_attempt_at = now
        db.add(row)
    db.commit()


def _body(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def _row(db, mail_id=1) -> OutboxMail:
    db.expire_all()
    return db.get(OutboxMail, mail_id)


def test_deliver_due_sends_queued_mail(app, db, smtp_server):
    _queue(app, db)

    sent = deliver_due(app.extensions["matchmaker.engine"], NOW, smtp_url=smtp_server.url)

    assert sent == 1
    [message] = smtp_server.messages
    assert message["To"] == "to0@example.com"
    assert message["Subject"] == "Subject 0"
    assert message["From"] == "matchmaker <no-reply@matchmaker.example>"
    assert _body(message) == "Body 0\n"
    assert _row(db).sent_at is not None


def test_deliver_due_never_sends_a_sent_row_again(app, db, smtp_server):
    _queue(app, db)
    engine = app.extensions["matchmaker.engine"]
    deliver_due(engine, NOW, smtp_url=smtp_server.url)

    again = deliver_due(engine, NOW + timedelta(days=1), smtp_url=smtp_server.url)

    assert again == 0
    assert len(smtp_server.messages) == 1


def test_deliver_due_retries_with_back_off_until_the_server_is_up(app, db, smtp_down):
    _queue(app, db)
    engine = app.extensions["matchmaker.engine"]

    first = deliver_due(engine, NOW, smtp_url=smtp_down.url)
    row = _row(db)
    assert (first, row.attempts, row.sent_at) == (0, 1, None)
    assert row.last_error.startswith("connect: ")
    assert row.next_attempt_at == (NOW + timedelta(minutes=1)).replace(tzinfo=None)

    second = deliver_due(engine, NOW + timedelta(minutes=1), smtp_url=smtp_down.url)
    assert (second, _row(db).attempts) == (0, 2)
    assert _row(db).next_attempt_at == (NOW + timedelta(minutes=3)).replace(tzinfo=None)

    smtp_down.start()
    not_yet = deliver_due(engine, NOW + timedelta(minutes=2), smtp_url=smtp_down.url)
    assert (not_yet, smtp_down.messages) == (0, [])

    delivered = deliver_due(engine, NOW + timedelta(minutes=3), smtp_url=smtp_down.url)

    assert delivered == 1
    assert [m["Subject"] for m in smtp_down.messages] == ["Subject 0"]
    assert _row(db).last_error is None
    assert _row(db).sent_at == (NOW + timedelta(minutes=3)).replace(tzinfo=None)


def test_deliver_due_keeps_a_refused_mail_with_its_error(app, db, smtp_server):
    _queue(app, db)
    smtp_server.handler.refuse = "550 No such user here"

    sent = deliver_due(app.extensions["matchmaker.engine"], NOW, smtp_url=smtp_server.url)

    row = _row(db)
    assert (sent, row.sent_at, row.attempts) == (0, None, 1)
    assert row.last_error == "to0@example.com: 550 No such user here"
    assert (row.claimed_by, row.claimed_until) == (None, None)


def test_deliver_due_sends_each_row_once_with_two_workers_at_once(app, db, smtp_server):
    _queue(app, db, count=40)
    engine = app.extensions["matchmaker.engine"]
    start = threading.Barrier(2)
    results: list[int] = []

    def worker():
        start.wait()
        results.append(deliver_due(engine, NOW, batch=40, smtp_url=smtp_server.url))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    subjects = sorted(m["Subject"] for m in smtp_server.messages)
    assert sum(results) == 40
    assert subjects == sorted(f"Subject {n}" for n in range(40))
    assert len({m["Message-ID"] for m in smtp_server.messages}) == 40


def test_deliver_due_does_not_take_a_row_claimed_by_a_live_worker(app, db, smtp_server):
    _queue(app, db)
    row = _row(db)
    row.claimed_by, row.claimed_until = "other", NOW + timedelta(minutes=5)
    db.add(row)
    db.commit()
    engine = app.extensions["matchmaker.engine"]

    assert deliver_due(engine, NOW, smtp_url=smtp_server.url) == 0
    # The lease ran out: the other worker died, this one takes over.
    assert deliver_due(engine, NOW + timedelta(minutes=6), smtp_url=smtp_server.url) == 1


def test_deliver_due_without_smtp_url_logs_and_marks_sent(app, db, caplog):
    _queue(app, db)

    with app.app_context(), caplog.at_level("INFO", logger="matchmaker.mail"):
        sent = deliver_due(app.extensions["matchmaker.engine"], NOW)

    assert sent == 1
    assert caplog.records[0].getMessage() == "mail to to0@example.com: Subject 0\nBody 0"
    assert _row(db).sent_at is not None


def test_notification_mail_arrives_in_the_recipients_language(app, db, smtp_server, make_user):
    user = make_user("li@example.com", locale="zh_Hans")
    params = {"from_org": "Nordlicht Versicherung AG", "subject": "Claims processing"}
    with app.app_context():
        notify(db, [user.id], "inquiry", params, "/conversations/5")
        db.commit()
        with force_locale("zh_Hans"):
            expected_subject = render_text("inquiry", params)

    assert deliver_due(db, smtp_url=smtp_server.url) == 1

    [message] = smtp_server.messages
    body = _body(message)
    assert message["To"] == "li@example.com"
    assert message["Subject"] == expected_subject
    assert "http://127.0.0.1:5000/conversations/5" in body.splitlines()[2]
    assert body.splitlines()[-1].endswith("http://127.0.0.1:5000/account/notifications")


def test_smtp_settings_parse_reads_starttls_and_credentials():
    settings = SmtpSettings.parse("smtp://me%40x.org:s%3Acret@mail.example:587?starttls=1")

    assert settings == SmtpSettings("mail.example", 587, "starttls", "me@x.org", "s:cret")
    assert SmtpSettings.parse("smtps://mail.example").port == 465


def test_retry_delay_doubles_up_to_an_hour():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 8, 20)] == [
        60,
        120,
        240,
        3600,
        3600,
        3600,
    ]


def test_send_mail_command_prints_how_many_were_sent(app, db, smtp_server):
    _queue(app, db, count=2, now=datetime.now(UTC))
    app.config["SMTP_URL"] = smtp_server.url

    result = app.test_cli_runner().invoke(args=["send-mail"])

    assert (result.exit_code, result.output) == (0, "Sent 2 mails.\n")
    assert len(smtp_server.messages) == 2
