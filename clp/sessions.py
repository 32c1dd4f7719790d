"""Sessions in the database, read without compiling a query on every request.

Django's database store looks a session up through the ORM; that lookup runs on every signed-in
request and on every resident's survey page, and compiling it cost more than PostgreSQL took to
answer. This store reads the same row with the same test (not expired) through `clp.rows`, and
writes a changed session back with one UPDATE of fixed text (Django's store compiles a save in
a transaction of its own: three round trips). It creates, rotates and deletes sessions exactly
as Django's does. The sessions stay in the database, so a Redis that is down loses nobody's
sign-in or unsent answers.
"""

import logging

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.core.exceptions import SuspiciousOperation
from django.db import connections, router
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

    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        # As Django's forced update: the row must still be there (else the session was ended
        # elsewhere, a sign-out in another tab, and Django's middleware says so).
        data = self.encode(self._get_session())
        alias = router.db_for_write(self.model)
        connection = connections[alias]
        expiry = connection.ops.adapt_datetimefield_value(self.get_expiry_date())
        with connection.cursor() as cursor:
            cursor.execute(_update_sql(self.model._meta.db_table, connection.ops.quote_name),
                           [data, expiry, self.session_key])
            if cursor.rowcount != 1:
                raise UpdateError


def _update_sql(table: str, quote) -> str:
    return (f"UPDATE {quote(table)} SET {quote('session_data')} = %s, "  # noqa: S608 (our names)
            f"{quote('expire_date')} = %s WHERE {quote('session_key')} = %s")
