"""Sessions in the database, read without compiling a query on every request.

Django's database store looks a session up through the ORM; that lookup runs on every signed-in
request and on every resident's survey page, and compiling it cost more than PostgreSQL took to
answer. This store reads the same row with the same test (not expired) through `clp.rows`, and
otherwise is Django's: it writes, rotates and deletes sessions exactly as before. The sessions
stay in the database, so a Redis that is down loses nobody's sign-in or unsent answers.
"""

import logging

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from clp import rows

# The sign-in backends sessions named before clp.auth replaced them with subclasses that differ
# only in how they read the account: a session signed in before that change stays signed in.
RENAMED_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "clp.auth.AccountBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "clp.auth.EmailAccountBackend",
}


class SessionStore(db.SessionStore):
    def load(self):
        data = super().load()
        backend = data.get(BACKEND_SESSION_KEY)
        if backend in RENAMED_BACKENDS:
            data[BACKEND_SESSION_KEY] = RENAMED_BACKENDS[backend]
        return data

    def _get_session_from_db(self):
        try:
            found = rows.one(self.model, self.session_key)
        except SuspiciousOperation as error:
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            found = None
        if found is None or found.expire_date <= timezone.now():
            self._session_key = None
            return None
        return found
