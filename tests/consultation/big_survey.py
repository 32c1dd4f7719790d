"""A survey with many responses, written in bulk (for export tests and manual measurements)."""

from django.utils import timezone

from consultation.models import Answer, Response, ResponseStatus
from tests.consultation.factories import submitted_response


def add_responses(survey, count: int, *, batch: int = 2000) -> int:
    """Add `count` submitted responses copying one entered through the services (with each free
    text made different); returns how many answers were written."""
    model = submitted_response(survey)
    template = list(model.answers.values("question_id", "option_id", "category_id", "number",
                                         "text", "part"))
    written, now = 0, timezone.now()
    for start in range(0, count - 1, batch):
        size = min(batch, count - 1 - start)
        responses = Response.objects.bulk_create([
            Response(survey=survey, status=ResponseStatus.SUBMITTED, submitted_at=now)
            for _n in range(size)])
        answers = [Answer(response=response, **{**row, "text": f"{row['text']} {response.pk}"
                                                if row["text"] else ""})
                   for response in responses for row in template]
        Answer.objects.bulk_create(answers, batch_size=5000)
        written += len(answers)
    return written + len(template)
