from django.apps import AppConfig


class ClpConfig(AppConfig):
    name = "clp"
    verbose_name = "Community Led Plan (core)"

    def ready(self):
        from clp import freshness, invitations

        invitations.register_core_kinds()
        _audit_sign_ins()
        freshness.connect()


def _audit_sign_ins() -> None:
    """Sign-ins come from allauth through Django's own signals: the one place to hear them."""
    from django.contrib.auth.signals import user_logged_in, user_login_failed

    from clp.audit import AuditKind, audit_record

    def signed_in(sender, request, user, **kwargs):
        audit_record(kind=AuditKind.SIGN_IN, actor=user, target=user)

    def refused(sender, credentials, request=None, **kwargs):
        # `credentials` holds the typed password: never recorded, not even the address.
        audit_record(kind=AuditKind.SIGN_IN_FAILED, summary="Wrong email address or password")

    user_logged_in.connect(signed_in, dispatch_uid="clp.audit.sign_in")
    user_login_failed.connect(refused, dispatch_uid="clp.audit.sign_in_failed")
