"""A councillor's question and the group's answer are emailed, once each, after the commit."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import Message, Section
from tests.actions.factories import PriorityFactory


def test_question_is_emailed_to_the_chair_and_secretary_and_the_answer_to_the_councillor(
        world, mailoutbox, django_capture_on_commit_callbacks):
    priority = PriorityFactory(plan=world.plan, section=Section.HELP, title="Buses")
    profile = world.people["councillor"].councillor_profile
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("councillor").post(
            reverse("actions:respond", kwargs={"pk": world.plan.pk, "prid": priority.pk}),
            {"response": "question", "comment": "Which routes?"}, follow=True)
    assert "Your question has been sent to the steering group." in response.text
    assert len(mailoutbox) == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["chair@test.org", "sec@test.org"]
    reply_url = reverse("actions:reply", kwargs={"pk": world.plan.pk, "prid": priority.pk, "cid": profile.pk})
    assert "Which routes?" in mailoutbox[0].body and reply_url in mailoutbox[0].body
    assert "Buses" in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        world.client("member").post(reply_url, {"body": "The 64 and the 67."})
    answer = mailoutbox[2]
    assert answer.to == ["cllr@test.org"]
    assert "The 64 and the 67." in answer.body
    assert reverse("actions:respond", kwargs={"pk": world.plan.pk, "prid": priority.pk}) in answer.body
    assert Message.objects.filter(emailed_at__isnull=True).count() == 0


def test_nothing_is_emailed_before_the_commit_and_a_second_run_sends_nothing(world, mailoutbox,
                                                                            django_capture_on_commit_callbacks):
    priority = PriorityFactory(plan=world.plan, section=Section.HELP)
    profile = world.people["councillor"].councillor_profile
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = services.question_ask(priority=priority, councillor=profile, body="Why?",
                                        actor=profile.user)
    assert len(callbacks) == 1 and mailoutbox == []
    assert services.message_email(message_id=message.pk) is True
    assert services.message_email(message_id=message.pk) is False
    assert len(mailoutbox) == 2


def test_sweep_resends_messages_whose_task_was_lost(world, mailoutbox):
    priority = PriorityFactory(plan=world.plan, section=Section.HELP)
    profile = world.people["councillor"].councillor_profile
    lost = Message.objects.create(priority=priority, councillor=profile, from_councillor=False,
                                  body="Answer", author=world.people["chair"],
                                  at=timezone.now() - timedelta(hours=1))
    Message.objects.create(priority=priority, councillor=profile, from_councillor=False, body="Old",
                           author=world.people["chair"], at=timezone.now() - timedelta(days=30))
    assert services.messages_resend_unemailed() == 1  # eager Celery in tests: sent at once
    assert [m.to for m in mailoutbox] == [["cllr@test.org"]]
    assert Message.objects.get(pk=lost.pk).emailed_at is not None
