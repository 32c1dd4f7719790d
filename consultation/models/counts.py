"""The version of a survey's answers that its cached count tables belong to (consultation.analysis.counts)."""

from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from clp import freshness


class ResponsesVersion(models.Model):
    """Bumped in the same transaction as every change to a survey's submitted answers.

    It is its own row, not a field of Survey, so that no `survey.save()` of an older copy can
    ever write a previous number back (which would make old cached figures look current)."""

    survey = models.OneToOneField("consultation.Survey", on_delete=models.CASCADE, primary_key=True,
                                  related_name="+")
    number = models.PositiveBigIntegerField(_("version of the answers"), default=0)

    def __str__(self):
        return f"{self.survey_id}: {self.number}"

    @classmethod
    def bump(cls, *, survey_id: int | None = None, response_id: int | None = None) -> None:
        """Start a new version for a survey (or the survey of a submitted response), atomically:
        concurrent bumps each add one, and the first one creates the row.

        The pages kept with the plan's answers (its home page, the results, the portfolios its
        community is in) are drawn afresh from now on: the tokens of the plan and of those
        organisations are replaced (clp.freshness.scope), not the generation, so no other
        plan's kept pages are redrawn while this one's survey is receiving answers. Both are
        read back by the statement that bumps the version, so they cost no query of their own."""
        table = cls._meta.db_table
        if survey_id is not None:
            source, params = "VALUES (%s, 1)", [survey_id]
        else:
            source = ("SELECT survey_id, 1 FROM consultation_response "
                      "WHERE id = %s AND status = 'submitted'")
            params = [response_id]
        listed = ("string_agg(oc.organisation_id::text, ',')" if connection.vendor == "postgresql"
                  else "group_concat(oc.organisation_id, ',')")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (survey_id, number) {source} "  # noqa: S608 (names are ours)
                f"ON CONFLICT (survey_id) DO UPDATE SET number = {table}.number + 1 "
                f"RETURNING (SELECT plan_id FROM consultation_survey WHERE id = {table}.survey_id), "
                f"(SELECT {listed} FROM clp_organisation_communities oc "
                "JOIN plans_plan p ON p.community_id = oc.community_id "
                f"JOIN consultation_survey s ON s.plan_id = p.id WHERE s.id = {table}.survey_id)",
                params)
            bumped = cursor.fetchall()
        scopes = [freshness.scope("plan", plan_id) for plan_id, _orgs in bumped]
        scopes += [freshness.scope("organisation", pk)
                   for _plan, orgs in bumped for pk in (orgs or "").split(",") if pk]
        if scopes:
            freshness.bump(*scopes)
