"""The sign-in backends: Django's and allauth's, with the account read through `clp.rows`.

On every signed-in request Django asks the backend that signed the person in for their account
by its key. The ORM compiled that lookup afresh each time; these read the same row (and still
refuse an account that may not sign in, `user_can_authenticate`) for a third of the cost.
Everything else (passwords, permissions, allauth's sign-in by email) is the parent's.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from clp import rows


class _AccountByKey:
    def get_user(self, user_id):
        user = rows.one(get_user_model(), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class AccountBackend(_AccountByKey, ModelBackend):
    """django.contrib.auth's ModelBackend."""


class EmailAccountBackend(_AccountByKey, AuthenticationBackend):
    """allauth's backend (sign-in by email address)."""
