"""The demo prints emails with links a newcomer can copy and follow."""

import io

from django.core.mail import EmailMultiAlternatives

from clp.mail import ReadableConsoleBackend

LINK = ("http://127.0.0.1:8000/invitations/abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
        "0123456789/accept/")


def test_default_backend_without_smtp_is_the_readable_console():
    from clp import settings as project_settings

    assert project_settings.EMAIL_BACKEND == "clp.mail.ReadableConsoleBackend"


def test_console_prints_long_links_whole_and_plain_text_unencoded():
    stream = io.StringIO()
    message = EmailMultiAlternatives("Join Bramley Green – steering group",
                                     f"Dear Cath – you are invited.\n\nAccept here:\n{LINK}\n",
                                     to=["chair@example.org"])
    message.attach_alternative("<p>Hello</p>", "text/html")
    ReadableConsoleBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert f"\n{LINK}\n" in printed
    assert "Subject: Join Bramley Green – steering group" in printed
    assert "Dear Cath – you are invited." in printed
    assert "=E2=80=93" not in printed and "=\n" not in printed
    assert "To: chair@example.org" in printed
