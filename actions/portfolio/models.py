"""Saved portfolio filters and bulk messages to chairs (one row per recipient: the record of work)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clp.models import Organisation
from plans.models import Plan


class SavedFilter(models.Model):
    """An officer's named set of portfolio filters, kept as the page's query string."""

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="portfolio_filters")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="saved_filters")
    name = models.CharField(_("name for this filter"), max_length=80)
    query = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["officer", "organisation", "name"],
                                               name="one_filter_name_per_officer")]

    def __str__(self):
        return self.name


class BulkMessage(models.Model):
    """One message an officer sent to the chairs of several plans at once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="bulk_messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject


class BulkRecipient(models.Model):
    """One chair of one plan who is to receive a bulk message; `emailed_at` marks it done."""

    message = models.ForeignKey(BulkMessage, on_delete=models.CASCADE, related_name="recipients")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["message", "plan", "user"],
                                               name="one_row_per_chair_and_plan")]

    def __str__(self):
        return f"{self.message} to {self.user} ({self.plan})"
