"""Exceptions shared by tasks, services and views (tasks import nothing heavier than this).

`Refused` is the one way a service says "this cannot be done": its `message` says why in plain
English, and views show it (`clp.access.show_refused`, or beside the field it is about).
Subclasses exist only where a caller must tell the refusal apart from the others.
"""


class TransientSendError(Exception):
    """The mail server said "try again later" or dropped the connection: worth a retry."""


class Refused(Exception):
    """What the user asked for cannot be done; `message` says why in plain English."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class GateNotMet(Refused):
    """The plan cannot move on: `unmet` names each checklist item still to do."""

    def __init__(self, message: str, unmet: list):
        super().__init__(message)
        self.unmet = list(unmet)

    def __str__(self) -> str:
        return f"{self.message} {'; '.join(str(label) for label in self.unmet)}."


class LinkRefused(Refused):
    """A signed link from an email cannot be used (forged, expired, used up, for something else):
    the page says why instead of showing the form."""

    status = 400


class LinkRetired(LinkRefused):
    """The link was genuine, but what it was sent for has changed hands (e.g. the action has a
    new lead): it will never work again, so its page says who to ask instead, and links to
    `community`'s public page when given."""

    status = 410

    def __init__(self, message: str, *, community=None):
        super().__init__(message)
        self.community = community
