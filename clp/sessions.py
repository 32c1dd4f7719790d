"""Sessions in the database, read without compiling a query on every request.

Django's database store looks a session up through the ORM; that lookup runs on every signed-in
request and on every resident's survey page, and compiling it cost more than PostgreSQL took to
answer. This store reads the same row with the same test (not expired) through `clp.rows`, and
otherwise is Django's: it writes, rotates and deletes sessions exactly as before. The sessions
stay in the database, so a Redis that is down loses nobody's sign-in or unsent answers.
"""

import logging

from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from clp import rows


class SessionStore(db.SessionStore):
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
