"""Demo action plans: Cheriton Market is prioritising (some endorsements still awaited, a question
unanswered, SMART gaps to fix); Eastfield Ward is implementing a finalised, frozen version 1.

Runs after the plans and consultation demos. Safe to run twice: a plan with priorities is skipped.
"""

from datetime import timedelta

from django.utils import timezone

from actions import delivery, demo_publishing, gates, tokens, versions
from actions.models import (
    Action,
    ActionStatus,
    Cadence,
    CommunityUpdate,
    DraftPlan,
    Endorsement,
    EndorsementRequest,
    Follower,
    HelpOffer,
    Message,
    OfferStatus,
    OwnerRequest,
    OwnerRole,
    OwnerStatus,
    PartnerBody,
    PartnerKind,
    PlanReview,
    PlanVersion,
    Priority,
    ProgressUpdate,
    RaisedIssue,
    RegisteredPartner,
    ReviewDecision,
    ReviewOutcome,
    Section,
    UpdateStatus,
)
from plans.models import ChecklistEntry, EventKind, Plan, PlanEvent
from plans.services import record

H, C = Section.HELP, Section.COMMUNITY

# (section, title, why, theme, quick win, long-term note, (support, impact, effort), actions)
# action: (what, outcome, measure, lead (member index or volunteer name), partners, months, status)
CHERITON = [
    (C, "Litter and dog fouling at the recreation ground",
     "Raised by 188 of 460 households (41%) and by most families at the May drop-in.",
     "Environment", True, "", (4, 3, 1), [
         ("Monthly volunteer litter pick", "A recreation ground parents are happy to use",
          "Bags collected and a yes/no check of the play area each month", 2, "", 1,
          ActionStatus.IN_PROGRESS),
     ]),
    (C, "Not enough for young people to do in the evenings",
     "Top issue in the youth forum (18 young people) and named by 96 households.",
     "Young people", False, "", (3, 4, 3), [
         ("Pilot a Friday youth club at the community centre", "Young people have somewhere to go",
          "", "Dan Okoro", "", 4, ActionStatus.NOT_STARTED),
     ]),
    (C, "Residents do not hear about what is going on",
     "64 households said they only hear about events afterwards.", "Communication", True, "",
     (3, 2, 1), [
         ("Quarterly town newsletter delivered to every household", "Every household hears about events",
          "Newsletters delivered: 2,950 each quarter", 1, "", 3, ActionStatus.NOT_STARTED),
     ]),
    (H, "Speeding traffic on the High Street",
     "The most common issue: 274 of 460 households (60%), and 31 of 110 businesses.", "Transport",
     False, "", (5, 5, 4), [
         ("Set up Community Speedwatch", "Drivers slow down on the High Street",
          "Average speed in the police survey below 30 mph", 0, "Downshire Police", 6,
          ActionStatus.IN_PROGRESS),
         ("Ask the county for a 20 mph zone around the school", "Safer walk to school",
          "Decision by the county traffic team", 0, "Downshire County Council highways", 12,
          ActionStatus.NOT_STARTED),
     ]),
    (H, "No bus to Meonbridge hospital",
     "Older residents without a car (73 responses) cannot get to appointments.", "Transport",
     False, "", (4, 4, 5), [
         ("Ask the bus operator and the county to divert the 64 via the hospital",
          "Residents can reach the hospital by bus", "A timetabled service exists", 3, "", None,
          ActionStatus.NOT_STARTED),
     ]),
    (H, "Homes local young people can afford",
     "Named by 151 households; 38 said a family member had moved away to find a home.", "Housing",
     False, "It depends on land coming forward and on the district's local plan: 5 to 10 years.",
     (4, 5, 5), [
         ("Commission a housing needs survey with the district", "Evidence to support a rural exception site",
          "Survey report published", 1, "Meonbridge District Council housing team", 9,
          ActionStatus.NOT_STARTED),
     ]),
]

EASTFIELD = [
    (C, "A welcome pack for new residents", "Newcomers said it took a year to find out what exists.",
     "Community", True, "", (3, 2, 1), [
         ("Write and deliver a welcome pack", "New residents know where to find help",
          "Packs delivered to every new household", 1, "", -2, ActionStatus.DONE),
     ]),
    (C, "Somewhere to grow food together", "82 households would use a community garden.",
     "Environment", False, "", (3, 3, 3), [
         ("Open the Eastfield community garden", "A garden open to all, every weekend",
          "20 regular volunteers and open every weekend", "Mo Ahmed", "", 5, ActionStatus.IN_PROGRESS),
     ]),
    (H, "Pavement parking on Station Road",
     "Wheelchair and pushchair users (57 responses) cannot pass safely.", "Transport", False, "",
     (4, 4, 3), [
         ("Ask the district for parking enforcement patrols", "A clear pavement all day",
          "Spot checks on 12 days: no more than 2 cars on the pavement", 0,
          "Meonbridge District Council parking team", 3, ActionStatus.IN_PROGRESS),
     ]),
    (H, "Dark footpath to the station", "Women and older residents (112) avoid it after dark.",
     "Safety", False, "", (4, 4, 4), [
         ("Ask the county to light the footpath", "People feel safe walking to the station at night",
          "Lights installed and a follow-up survey of users", 2, "Downshire County Council street lighting",
          8, ActionStatus.NOT_STARTED),
     ]),
    (H, "Waiting weeks for a GP appointment", "Named by 190 of 380 households (50%).", "Health",
     False, "Depends on NHS funding and recruitment; the group can press but not solve it.",
     (5, 5, 5), [
         ("Invite the practice and the health board to a public meeting",
          "Residents understand the plans and can put their case", "Meeting held with 50 or more residents",
          0, "Meonbridge Health Partnership", 4, ActionStatus.NOT_STARTED),
     ]),
]


PROGRESS_FOR_STATUS = {ActionStatus.NOT_STARTED: "not_started", ActionStatus.IN_PROGRESS: "on_track",
                       ActionStatus.ON_HOLD: "delayed", ActionStatus.DONE: "done",
                       ActionStatus.DROPPED: "dropped"}


def seed(context: dict) -> None:
    for slug, spec in [("cheriton-market", CHERITON), ("eastfield-ward", EASTFIELD)]:
        plan = Plan.objects.filter(community__slug=slug).select_related("community").first()
        if plan is None or plan.priorities.exists():
            continue
        people = [m.user for m in plan.memberships.active().select_related("user").order_by("pk")]
        priorities = _priorities(plan, spec, people)
        councillors = [link.councillor for link in
                       plan.councillor_links.select_related("councillor__user").order_by("pk")]
        _ask(plan, councillors, people[0])
        if slug == "cheriton-market":
            _cheriton_responses(plan, priorities, councillors, people)
        else:
            _eastfield_final(plan, priorities, councillors, people)
    seed_delivery(context)
    seed_review(context)
    demo_publishing.seed(context)  # after the plans above: it publishes Eastfield's version 1


def _priorities(plan, spec, people) -> list[Priority]:
    ranks: dict[int, int] = {}
    rows, actions = [], []
    for section, title, why, theme, quick, long_note, scores, _acts in spec:
        ranks[section] = ranks.get(section, 0) + 1
        rows.append(Priority(plan=plan, section=section, title=title, why=why, theme=theme,
                             is_quick_win=quick, is_long_term=bool(long_note), long_term_note=long_note,
                             support_score=scores[0], impact_score=scores[1], effort_score=scores[2],
                             rank=ranks[section], created_by=people[0]))
    priorities = Priority.objects.bulk_create(rows)
    today = timezone.localdate()
    for priority, (*_head, acts) in zip(priorities, spec, strict=True):
        for position, (what, outcome, measure, lead, partners, months, status) in enumerate(acts, 1):
            member = people[lead % len(people)] if isinstance(lead, int) else None
            actions.append(Action(
                priority=priority, what=what, outcome=outcome, measure=measure, lead_user=member,
                lead_name="" if member else lead,
                lead_contact="" if member else "07700 900 4" + str(position).zfill(2),
                partners=partners, position=position, status=status,
                progress=PROGRESS_FOR_STATUS[status],
                start_date=today - timedelta(days=30),
                target_date=today + timedelta(days=30 * months) if months is not None else None,
                update_cadence=Cadence.QUARTERLY if priority.section == H else Cadence.MONTHLY,
            ))
    Action.objects.bulk_create(actions)
    record(plan, people[0], EventKind.CONTENT,
           f"Added {len(priorities)} priorities agreed at the priorities workshop")
    return priorities


def _ask(plan, councillors, chair) -> None:
    now = timezone.now()
    EndorsementRequest.objects.bulk_create([EndorsementRequest(
        plan=plan, councillor=c, sent_by=chair, sent_at=now - timedelta(days=10), emailed_at=now,
        respond_by=timezone.localdate() + timedelta(days=18),
        message="Please read our priorities. Tell us whether you endorse each one in section 2, will "
                "actively support it at your council, or cannot support it, and ask us anything "
                "that is unclear. Section 1 is for your information.",
    ) for c in councillors])
    record(plan, chair, EventKind.CONTENT,
           "Asked " + ", ".join(c.short_name for c in councillors) + " to review the priorities")


def _decide(priority, councillor, decision, comment, days_ago):
    return Endorsement(priority=priority, councillor=councillor, decision=decision, comment=comment,
                       by=councillor.user, at=timezone.now() - timedelta(days=days_ago))


def _cheriton_responses(plan, priorities, councillors, people) -> None:
    by_title = {p.title: p for p in priorities}
    speeding, bus = by_title["Speeding traffic on the High Street"], by_title["No bus to Meonbridge hospital"]
    district, county = councillors[0], councillors[-1]
    Endorsement.objects.bulk_create([
        _decide(speeding, district, "endorse", "The district backs Speedwatch in every parish.", 6),
        _decide(speeding, county, "support", "I will take the 20 mph request to the county's "
                                             "traffic panel.", 4),
        _decide(by_title["Litter and dog fouling at the recreation ground"], district, "endorse", "", 6),
    ])
    Message.objects.create(priority=bus, councillor=county, from_councillor=True, author=county.user,
                           at=timezone.now() - timedelta(days=3), emailed_at=timezone.now(),
                           body="Which appointments are people missing: the hospital outpatients or "
                                "the GP surgery? The answer changes which service we ask.")


def _eastfield_final(plan, priorities, councillors, people) -> None:
    district, county = councillors[0], councillors[-1]
    decisions = []
    for priority in priorities:
        if priority.section == H:
            decisions.append(_decide(priority, district, "endorse", "", 40))
            decisions.append(_decide(priority, county, "support" if "footpath" in priority.title
                                     else "endorse", "", 38))
    Endorsement.objects.bulk_create(decisions)
    DraftPlan.objects.create(
        plan=plan, published_at=timezone.now() - timedelta(days=70), published_by=people[0],
        monitoring="The steering group reviews every action each quarter. Leads report at the "
                   "meeting; the parish newsletter reports progress every six months.")
    # The plans demo marked Finalising's computed items as not needed; this plan meets them.
    keys = [gates.SECTION_TWO_ENDORSED, gates.ACTIONS_SMART, gates.PLAN_VERSION_FROZEN]
    ChecklistEntry.objects.filter(plan=plan, key__in=keys).delete()
    PlanEvent.objects.filter(plan=plan, kind=EventKind.WAIVED,
                             summary__in=[f"Marked as not needed: {gates_label(k)}" for k in keys]).delete()
    finalised = plan.events.filter(to_step="implementing").first()
    frozen_at = finalised.at if finalised else timezone.now()
    PlanVersion.objects.create(plan=plan, number=plan.version, data=versions.snapshot(plan),
                               frozen_by=people[0], frozen_at=frozen_at)
    PlanEvent.objects.create(plan=plan, actor=people[0], kind=EventKind.CONTENT, at=frozen_at,
                             summary=f"Finalised and froze version {plan.version} of the plan")
    # Delivery since then: the next version will show this action as completed.
    Action.objects.filter(priority__plan=plan, what="Open the Eastfield community garden").update(
        status=ActionStatus.DONE)


def gates_label(key: str) -> str:
    from plans.gates import get_item

    return str(get_item(key).label)


# --- delivery (issue 10): Eastfield Ward at step 8 ------------------------------------------------

def seed_delivery(context: dict) -> None:
    """Owners who accepted or declined, updates with reasons, an overdue and a stalled action, a
    quick win done, a partner body waiting, an offer to help and a raised issue. Safe to run twice."""
    plan = Plan.objects.filter(community__slug="eastfield-ward").first()
    if plan is None or ProgressUpdate.objects.filter(action__priority__plan=plan).exists():
        return
    people = [m.user for m in plan.memberships.active().select_related("user").order_by("pk")]
    # Delivery starts from the frozen plan: progress is what the updates below report.
    Action.objects.filter(priority__plan=plan).update(progress=UpdateStatus.NOT_STARTED, percent=0)
    actions = {a.what.split()[0].lower() + a.what.split()[-1].lower(): a
               for a in Action.objects.filter(priority__plan=plan).select_related("priority")}
    partners = {name: PartnerBody.objects.create(plan=plan, name=name, kind=kind,
                                                 contact_email=email)
                for name, kind, email in [
                    ("Meonbridge District Council parking team", PartnerKind.DISTRICT,
                     "parking@meonbridge.example.org"),
                    ("Downshire County Council street lighting", PartnerKind.COUNTY,
                     "lighting@downshire.example.org"),
                    ("Meonbridge Health Partnership", PartnerKind.AGENCY,
                     "engagement@meonbridge-health.example.org")]}
    _register_partners(plan, partners.values())
    for action in actions.values():
        if action.partners in partners:
            action.partner_body = partners[action.partners]
        if action.lead_name == "Mo Ahmed":
            action.lead_email = "mo.ahmed@example.org"
        action.save()
    _owners(actions, people)
    _updates(actions, people)
    _residents(plan, actions)
    _followers(plan, actions)
    _reminders_sent(plan)


def _register_partners(plan, bodies) -> None:
    """The demo's bodies are in the support organisation's partner directory, so its officer sees
    their inboxes and response times."""
    organisation = plan.community.organisations.order_by("name", "pk").first()
    if organisation is None:
        return
    for body in bodies:
        body.registered, _created = RegisteredPartner.objects.get_or_create(
            organisation=organisation, name=body.name,
            defaults={"kind": body.kind, "email": body.contact_email})
        body.save(update_fields=["registered"])


def _ask_owner(action, role, name, email, by, days_ago, answer="", reason="", suggested=""):
    now = timezone.now()
    sent = now - timedelta(days=days_ago)
    answered = sent + timedelta(days=3) if answer else None
    OwnerRequest.objects.create(action=action, role=role, recipient_name=name, recipient_email=email,
                                nonce=tokens.new_nonce(), sent_by=by, sent_at=sent, emailed_at=sent,
                                answer=answer, reason=reason, suggested_instead=suggested,
                                answered_at=answered)
    prefix = "lead" if role == OwnerRole.LEAD else "partner"
    Action.objects.filter(pk=action.pk).update(**{f"{prefix}_status": answer or OwnerStatus.ASKED,
                                                  f"{prefix}_answered_at": answered})


def _owners(actions, people) -> None:
    chair = people[0]
    for key, action in actions.items():
        if key == "askfootpath":
            _ask_owner(action, OwnerRole.LEAD, action.lead_label, action.lead_address() or
                       "volunteer@example.org", chair, 40, OwnerStatus.DECLINED,
                       "I am moving away from Eastfield in the spring.",
                       "The Station Road residents' association")
        elif action.lead_address():
            _ask_owner(action, OwnerRole.LEAD, action.lead_label, action.lead_address(), chair, 60,
                       OwnerStatus.ACCEPTED)
        if key == "askpatrols":
            _ask_owner(action, OwnerRole.PARTNER, action.partner_body.name,
                       action.partner_body.contact_email, chair, 12)
        elif key == "invitemeeting":
            _ask_owner(action, OwnerRole.PARTNER, action.partner_body.name,
                       action.partner_body.contact_email, chair, 55, OwnerStatus.ACCEPTED)


def _update(action, status, percent, reason, days_ago, actor=None, by_name="", revised=None,
            note=""):
    update = delivery.update_post(action=Action.objects.get(pk=action.pk), status=status,
                                  percent=percent, reason=reason, note=note, actor=actor,
                                  by_name=by_name, revised_target_date=revised)
    ProgressUpdate.objects.filter(pk=update.pk).update(at=timezone.now() - timedelta(days=days_ago))


def _updates(actions, people) -> None:
    today = timezone.localdate()
    pack, garden = actions["writepack"], actions["opengarden"]
    _update(pack, UpdateStatus.ON_TRACK, 60, "Printing paid for by the ward grant", 50, people[1])
    _update(pack, UpdateStatus.DONE, 100, "Delivered to all 140 new households", 20, people[1],
            note="The estate agents now hand one over with the keys.")
    # The garden's monthly report is overdue: it has had no update for seven weeks.
    _update(garden, UpdateStatus.ON_TRACK, 35, "Beds dug and the water butt in", 80,
            by_name="Mo Ahmed")
    _update(garden, UpdateStatus.AT_RISK, 40, "Only six regular volunteers so far", 50,
            by_name="Mo Ahmed", note="Needs more hands on Saturdays.")
    Action.objects.filter(pk=garden.pk).update(update_cadence=Cadence.MONTHLY)
    _update(actions["askpatrols"], UpdateStatus.ON_TRACK, 20,
            "Request sent to the district parking team", 30, people[2])
    meeting = actions["invitemeeting"]
    _update(meeting, UpdateStatus.DELAYED, 30, "The practice manager left; the new one starts soon",
            45, people[0], revised=today + timedelta(days=5))
    # …and the revised date has now passed: the meeting is overdue.
    Action.objects.filter(pk=meeting.pk).update(target_date=today - timedelta(days=6))


def _residents(plan, actions) -> None:
    now = timezone.now()
    HelpOffer.objects.create(action=actions["opengarden"], name="Priya Nair",
                             email="priya.nair@example.org",
                             what="I can do Saturday mornings and bring a wheelbarrow.",
                             nonce=tokens.new_nonce(), status=OfferStatus.CONFIRMED,
                             created_at=now - timedelta(days=4), confirm_emailed_at=now,
                             confirmed_at=now - timedelta(days=3), lead_told_at=now)
    RaisedIssue.objects.create(plan=plan, title="Dog fouling on Eastfield recreation ground",
                               description="Since the bin by the gate went, the path is filthy.",
                               name="A resident", created_at=now - timedelta(days=2))
    CommunityUpdate.objects.create(
        plan=plan, title="What we have done: autumn update",
        body="The welcome pack is out: every new household gets one with the keys. The community "
             "garden has its first beds, and we need more Saturday volunteers.",
        covers_from=now - timedelta(days=120), covers_to=now - timedelta(days=20),
        created_at=now - timedelta(days=20), published_at=now - timedelta(days=20),
        published_by=plan.memberships.filter(role="chair").first().user)


def _followers(plan, actions) -> None:
    """Residents following the plan, and one following the garden's priority; one has not
    confirmed yet (so hears nothing)."""
    long_ago = timezone.now() - timedelta(days=90)
    for email, priority, confirmed in [
            ("sue.barker@example.org", None, long_ago),
            ("tom.okafor@example.org", actions["opengarden"].priority, long_ago),
            ("not.confirmed@example.org", None, None)]:
        Follower.objects.create(plan=plan, priority=priority, email=email, nonce=tokens.new_nonce(),
                                created_at=long_ago, confirm_emailed_at=long_ago,
                                confirmed_at=confirmed)


def _record_sent(kind: str, items, sent_at) -> None:
    from clp.models import Recipient, Reminder, ReminderStatus, normalise_email

    for item in items:
        recipient, _created = Recipient.objects.get_or_create(
            email=normalise_email(item.email), defaults={"user_id": item.user_id})
        Reminder.objects.get_or_create(
            recipient=recipient, kind=kind, subject_key=item.subject_key, period=item.period,
            defaults={"plan_id": item.plan_id, "community_id": item.community_id,
                      "context": {"title": item.title, "detail": item.detail, "url": item.url,
                                  "why": item.why},
                      "status": ReminderStatus.SENT, "attempts": 1, "created_at": sent_at,
                      "claimed_at": sent_at, "sent_at": sent_at})


def _reminders_sent(plan) -> None:
    """The ledger shows what the Deliver reminders sent yesterday (an update due, the overdue
    meeting, the partner body that has not answered) and the followers' digest of three weeks
    ago, made by the reminder kinds themselves."""
    from actions import reminders as deliver

    today = timezone.localdate()
    yesterday = timezone.now() - timedelta(days=1)
    for kind, due in [("action_update_due", deliver.updates_due),
                      ("action_overdue", deliver.overdue_actions),
                      ("owner_request_unanswered", deliver.owner_requests_unanswered),
                      ("milestone_due", deliver.milestones_due)]:
        _record_sent(kind, [i for i in due(today) if i.plan_id == plan.pk], yesterday)
    digest_day = today - timedelta(days=20)
    _record_sent("followed_progress", [
        i for i in deliver.followed_changes(digest_day) if f"/plans/{plan.pk}/" in i.url],
        timezone.now() - timedelta(days=19))


# --- Kingsley Vale at step 9: a review in progress --------------------------------------------

KINGSLEY = [
    (C, "Nowhere for toddlers to play", "41 families asked for a play area.", "Young people", True,
     "", (4, 4, 2), [("Install a toddler play area on the green", "Families use the green daily",
                      "Play area open and inspected", 0, "", -3, ActionStatus.DONE)]),
    (C, "Lonely older residents", "63 people over 75 live alone.", "Older people", False, "",
     (4, 4, 3), [("Run a weekly lunch club", "Fewer people say they feel lonely",
                  "30 regular guests", 1, "", 2, ActionStatus.IN_PROGRESS)]),
    (H, "Flooding on Mill Lane", "Flooded four winters running (88 households).", "Environment",
     False, "", (5, 4, 5), [("Ask the county to clear the culvert", "No flooding in a wet winter",
                             "No closures of Mill Lane for a year", 0,
                             "Downshire County Council highways", -1, ActionStatus.ON_HOLD)]),
]


def seed_review(context: dict) -> None:
    """A plan a year into delivery, at step 9, with the review half done. Safe to run twice."""
    plan = Plan.objects.filter(community__slug="kingsley-vale").first()
    if plan is None or plan.priorities.exists():
        return
    people = [m.user for m in plan.memberships.active().select_related("user").order_by("pk")]
    _priorities(plan, KINGSLEY, people)
    ChecklistEntry.objects.filter(plan=plan, key=gates.PLAN_VERSION_FROZEN).delete()
    PlanVersion.objects.create(plan=plan, number=plan.version, data=versions.snapshot(plan),
                               frozen_by=people[0], frozen_at=timezone.now() - timedelta(days=380))
    actions = list(Action.objects.filter(priority__plan=plan).order_by("priority__rank", "pk"))
    Action.objects.filter(priority__plan=plan).update(lead_status=OwnerStatus.ACCEPTED)
    play = next(a for a in actions if a.what.startswith("Install"))
    culvert = next(a for a in actions if a.what.startswith("Ask the county"))
    _update(play, UpdateStatus.DONE, 100, "Opened by the parish council in June", 150, people[0])
    _update(culvert, UpdateStatus.DELAYED, 20, "The county has no budget until April", 60, people[1])
    review = PlanReview.objects.create(plan=plan, version=plan.version, kind="light",
                                       started_by=people[0],
                                       started_at=timezone.now() - timedelta(days=3))
    ReviewDecision.objects.create(review=review, action=play, outcome=ReviewOutcome.ACHIEVED)
    ReviewDecision.objects.create(review=review, action=culvert, outcome=ReviewOutcome.CARRY,
                                  reason="Still the village's biggest problem")
