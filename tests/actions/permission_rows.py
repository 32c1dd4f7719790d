"""Permission rows for every action plan URL (merged into tests/permissions.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actions import tokens
from actions.models import (
    CommunityUpdate,
    DraftComment,
    DraftPlan,
    Follower,
    HelpOffer,
    Message,
    OfferStatus,
    OwnerRequest,
    PartnerBody,
    PartnerContact,
    PlanVersion,
    ProgressUpdate,
    RaisedIssue,
    RegisteredPartner,
    Section,
    UpdateLink,
)
from tests.actions.factories import ActionFactory, PriorityFactory
from tests.permissions import (
    EDIT_PLAN,
    INVITE_TO_PLAN,
    MANAGE_PLAN,
    OFFICERS,
    PLAN_VIEWERS,
    POST_EDIT,
    POST_MANAGE,
    PUBLIC,
    VIEW_PLAN,
    Row,
    expect,
)

# The partner directory is kept by the organisation's officers (and site admins). A body's inbox
# is open to them and to the body's contacts, who alone answer (site admins hold every
# permission, so they may answer too); a contact sees the body's contact list but may not keep it.
# Contacts of other bodies: tests/actions/test_inbox_access.py.
DIRECTORY = expect(OFFICERS)
CONTACTS = expect(OFFICERS, visible={"partner_contact"})
INBOX = expect(OFFICERS | {"partner_contact"})
ANSWER_FOR_PARTNER = expect({"admin", "partner_contact"}, visible={"officer"})

# Only a councillor attached to the plan responds; others who see the plan get 403.
RESPOND = expect({"councillor"}, visible=PLAN_VIEWERS - {"councillor"})


def plan(w):
    return {"pk": w.plan.pk}


def priority(w):
    return {"pk": w.plan.pk, "prid": w.priority.pk}


def action(w):
    return {**priority(w), "aid": w.action.pk}


def extend_world(world) -> None:
    chair = world.people["chair"]
    world.priority = PriorityFactory(plan=world.plan, section=Section.HELP, title="Speeding")
    world.other_priority = PriorityFactory(plan=world.plan, section=Section.HELP, title="Buses")
    world.action = ActionFactory(priority=world.priority)
    world.councillor_profile = world.people["councillor"].councillor_profile
    Message.objects.create(priority=world.priority, councillor=world.councillor_profile,
                           from_councillor=True, body="Who owns the road?",
                           author=world.people["councillor"])
    DraftPlan.objects.create(plan=world.plan, published_at=timezone.now(), published_by=chair)
    world.comment = DraftComment.objects.create(plan=world.plan, body="Please add the footpath.")
    PlanVersion.objects.create(plan=world.plan, number=1, data={"title": "v1", "priorities": []},
                               frozen_by=chair)
    _extend_delivery(world, chair)
    _extend_open_data(world, chair)


def _extend_delivery(world, chair) -> None:
    world.partner = PartnerBody.objects.create(plan=world.plan, name="Meonbridge DC",
                                               contact_email="highways@meonbridge.test")
    action = world.action
    action.lead_email, action.partner_body = "jo@volunteer.test", world.partner
    action.save()
    world.update = ProgressUpdate.objects.create(
        action=action, status="on_track", percent=20, previous_status="not_started",
        reason="Started", file=SimpleUploadedFile("photo.pdf", b"%PDF-1.4\n%%EOF\n"))
    world.offer = HelpOffer.objects.create(action=action, name="Pat", email="pat@test.org",
                                           what="Leaflets", nonce="n1", status=OfferStatus.CONFIRMED,
                                           confirmed_at=timezone.now())
    world.raised = RaisedIssue.objects.create(plan=world.plan, title="Litter", description="Bins")
    world.community_update = CommunityUpdate.objects.create(
        plan=world.plan, title="Spring", body="Done things", covers_from=timezone.now())
    request = OwnerRequest.objects.create(
        action=action, role="lead", recipient_name="Jo", recipient_email="jo@volunteer.test",
        nonce=tokens.new_nonce())
    world.owner_token = tokens.make(tokens.OWNER_REQUEST, request.pk, request.nonce)
    link = UpdateLink.objects.create(action=action, email="jo@volunteer.test", name="Jo",
                                              nonce=tokens.new_nonce())
    world.update_token = tokens.make(tokens.UPDATE_LINK, link.pk, link.nonce)
    unconfirmed = HelpOffer.objects.create(action=action, name="Lee", email="lee@test.org",
                                           what="Driving", nonce=tokens.new_nonce())
    world.offer_token = tokens.make(tokens.HELP_OFFER, unconfirmed.pk, unconfirmed.nonce)
    _extend_inbox(world)
    follower = Follower.objects.create(plan=world.plan, email="fan@test.org",
                                       nonce=tokens.new_nonce())
    world.follow_token = tokens.make(tokens.FOLLOW, follower.pk, follower.nonce)


def _extend_inbox(world) -> None:
    world.registered = RegisteredPartner.objects.create(
        organisation=world.organisation, name="Downshire Highways", email="hw@downshire.test")
    world.partner.registered = world.registered
    world.partner.save()
    world.contact = PartnerContact.objects.create(partner=world.registered, name="Hana",
                                                  email="hana@downshire.test")
    contact_user = world.people["partner_contact"]
    PartnerContact.objects.create(partner=world.registered, name=contact_user.full_name,
                                  email=contact_user.email, user=contact_user)
    OwnerRequest.objects.create(action=world.action, role="partner", nonce=tokens.new_nonce(),
                                recipient_name="Downshire Highways",
                                recipient_email="hw@downshire.test")
    type(world.action).objects.filter(pk=world.action.pk).update(partner_status="asked")


def _extend_open_data(world, chair) -> None:
    """A published community update, an endorsement and a survey with published results."""
    from actions.models import Endorsement
    from consultation.services.evidence import results_set_published
    from tests.consultation.factories import make_survey

    world.published_update = CommunityUpdate.objects.create(
        plan=world.plan, title="Autumn", body="News", covers_from=timezone.now(),
        published_at=timezone.now(), published_by=chair)
    world.endorsement = Endorsement.objects.create(priority=world.priority, decision="endorse",
                                                   councillor=world.councillor_profile)
    world.results_survey = make_survey(world.plan, status="closed", title="Results out", actor=chair)
    results_set_published(survey=world.results_survey, published=True, actor=chair)


def _api(basename: str, obj=None, field: str = "pk") -> dict:
    """List and detail rows for one open-data endpoint: public, the same for everyone."""
    return {f"actions:api:{basename}-list": Row(lambda w: {}, PUBLIC),
            f"actions:api:{basename}-detail": Row(lambda w: {field: obj(w)}, PUBLIC)}


OPEN_DATA_ROWS = {
    "actions:api:about": Row(lambda w: {}, PUBLIC),
    "actions:api:schema": Row(lambda w: {}, PUBLIC),
    **_api("community", lambda w: w.community.pk),
    **_api("plan-version", lambda w: w.plan.versions.get(number=1).pk),
    **_api("priority", lambda w: w.priority.pk),
    **_api("action", lambda w: w.action.pk),
    **_api("progress-update", lambda w: w.update.pk),
    **_api("community-update", lambda w: w.published_update.pk),
    **_api("endorsement", lambda w: w.endorsement.pk),
    **_api("partner-body", lambda w: w.partner.pk),
    **_api("survey", lambda w: w.results_survey.public_id, field="public_id"),
    "actions:api:survey-results": Row(lambda w: {"public_id": w.results_survey.public_id}, PUBLIC),
}

ROWS = {
    "actions:plan": Row(plan, VIEW_PLAN),
    "actions:priority_new": Row(plan, EDIT_PLAN),
    "actions:priorities_reorder": Row(plan, POST_EDIT, method="post",
                                      data=lambda w: {"section": "2", "order": ""}),
    "actions:prioritise": Row(plan, VIEW_PLAN),
    "actions:prioritise_decide": Row(lambda w: {"pk": w.plan.pk, "section": 2}, EDIT_PLAN),
    "actions:priority": Row(priority, VIEW_PLAN),
    "actions:priority_edit": Row(priority, EDIT_PLAN),
    "actions:priority_delete": Row(priority, EDIT_PLAN),
    "actions:priority_move": Row(priority, POST_EDIT, method="post",
                                 data=lambda w: {"direction": "down"}),
    "actions:action_new": Row(priority, EDIT_PLAN),
    "actions:action_edit": Row(action, EDIT_PLAN),
    "actions:action_delete": Row(action, EDIT_PLAN),
    "actions:reply": Row(lambda w: {**priority(w), "cid": w.councillor_profile.pk}, EDIT_PLAN),
    "actions:endorsements": Row(plan, VIEW_PLAN),
    "actions:request_new": Row(plan, INVITE_TO_PLAN),
    "actions:review": Row(plan, RESPOND),
    "actions:respond": Row(priority, RESPOND),
    "actions:draft": Row(plan, VIEW_PLAN),
    "actions:draft_edit": Row(plan, EDIT_PLAN),
    "actions:draft_publish": Row(plan, POST_MANAGE, method="post", data=lambda w: {"publish": "1"}),
    "actions:comments": Row(plan, MANAGE_PLAN),
    "actions:comment_moderate": Row(lambda w: {"pk": w.plan.pk, "cid": w.comment.pk}, POST_MANAGE,
                                    method="post", data=lambda w: {"decision": "approve"}),
    "actions:finalise": Row(plan, MANAGE_PLAN),
    "actions:versions": Row(plan, VIEW_PLAN),
    "actions:version": Row(lambda w: {"pk": w.plan.pk, "number": 1}, VIEW_PLAN),
    "actions:public_draft": Row(plan, PUBLIC),
    # delivery
    "actions:delivery": Row(plan, VIEW_PLAN),
    "actions:action": Row(action, VIEW_PLAN),
    "actions:update_new": Row(action, EDIT_PLAN),
    "actions:owner_request": Row(action, POST_EDIT, method="post", data=lambda w: {"role": "lead"}),
    "actions:update_link_send": Row(action, POST_EDIT, method="post"),
    "actions:update_file": Row(lambda w: {**action(w), "uid": w.update.pk}, VIEW_PLAN),
    "actions:partners": Row(plan, VIEW_PLAN),
    "actions:offers": Row(plan, EDIT_PLAN),
    "actions:offer_decide": Row(lambda w: {"pk": w.plan.pk, "oid": w.offer.pk}, POST_EDIT,
                                method="post", data=lambda w: {"decision": "add"}),
    "actions:raised_issues": Row(plan, MANAGE_PLAN),
    "actions:raised_issue_moderate": Row(lambda w: {"pk": w.plan.pk, "rid": w.raised.pk},
                                         POST_MANAGE, method="post",
                                         data=lambda w: {"decision": "accept"}),
    "actions:community_updates": Row(plan, VIEW_PLAN),
    "actions:community_update_new": Row(plan, EDIT_PLAN),
    "actions:community_update_edit": Row(lambda w: {"pk": w.plan.pk, "uid": w.community_update.pk},
                                         EDIT_PLAN),
    "actions:plan_review": Row(plan, MANAGE_PLAN),
    "actions:public_progress": Row(plan, PUBLIC),
    "actions:offer_new": Row(lambda w: {"pk": w.plan.pk, "aid": w.action.pk}, PUBLIC),
    "actions:priority_offer_new": Row(priority, PUBLIC),
    "actions:raise_issue": Row(plan, PUBLIC),
    "actions:owner_answer": Row(lambda w: {"aid": w.action.pk, "token": w.owner_token}, PUBLIC),
    "actions:update_by_link": Row(lambda w: {"aid": w.action.pk, "token": w.update_token}, PUBLIC),
    "actions:offer_confirm": Row(lambda w: {"token": w.offer_token}, PUBLIC),
    "actions:public_adopted": Row(plan, PUBLIC),
    # the partner directory and the agency inbox
    "actions:partner_directory": Row(lambda w: {"oid": w.organisation.pk}, DIRECTORY),
    "actions:partner_contacts": Row(lambda w: {"bid": w.registered.pk}, CONTACTS),
    "actions:partner_contact_invite": Row(lambda w: {"bid": w.registered.pk, "cid": w.contact.pk},
                                          expect(OFFICERS, visible={"partner_contact"}, ok=302),
                                          method="post"),
    "actions:partner_inbox": Row(lambda w: {"bid": w.registered.pk}, INBOX),
    "actions:partner_respond": Row(lambda w: {"bid": w.registered.pk},
                                   expect({"admin", "partner_contact"}, visible={"officer"},
                                          ok=302),
                                   method="post",
                                   data=lambda w: {"actions": [w.action.pk], "note": "On it"}),
    "actions:partner_answer": Row(lambda w: {"bid": w.registered.pk, "aid": w.action.pk},
                                  ANSWER_FOR_PARTNER),
    # Every councillor has an inbox; a councillor of another area sees only their own communities'
    # asks in it (tests/actions/test_inbox_access.py).
    "actions:councillor_inbox": Row(lambda w: {}, expect({"councillor", "far_councillor"})),
    "actions:follow": Row(plan, PUBLIC),
    "actions:follow_confirm": Row(lambda w: {"token": w.follow_token}, PUBLIC),
}
ROWS.update(OPEN_DATA_ROWS)
