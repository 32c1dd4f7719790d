"""The demo's console email backend: prints each email as a person reads it.

Django's console backend prints the raw MIME message, whose quoted-printable encoding breaks
long links with "=" and turns "–" into "=E2=80=93", so a newcomer cannot follow an invitation
link from the terminal. This one prints the decoded headers and the plain-text body as written.
"""

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend


class ReadableConsoleBackend(ConsoleEmailBackend):
    def write_message(self, message):
        lines = [
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
        ]
        if message.cc:
            lines.append(f"Cc: {', '.join(message.cc)}")
        lines += [f"Subject: {message.subject}", "", message.body.rstrip("\n")]
        for _content, mimetype in getattr(message, "alternatives", []):
            lines.append(f"[also sent as {mimetype}]")
        for attachment in message.attachments:
            name = getattr(attachment, "filename", None) or attachment[0]
            lines.append(f"[attachment: {name}]")
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
