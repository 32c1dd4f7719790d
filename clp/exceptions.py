"""Exceptions shared by tasks and services (tasks import nothing heavier than this)."""


class TransientSendError(Exception):
    """The mail server said "try again later" or dropped the connection: worth a retry."""
