"""A plan's groups within one "About you" question: which are shown, and their population.

A group can be retired (no longer offered in new surveys; never shown once nobody answered with
it) and a standard census band can be counted in one of the plan's own wider bands (the Census
"35 to 44", "45 to 54" and "55 to 64" in the plan's "35–64"), so a plan with its own bands enters
the census figures it has and sees only its own bands. Pure functions: callers load the rows.
"""


def offered(categories) -> list:
    """The groups a new "About you" question offers."""
    return [c for c in categories if not c.retired and c.part_of_id is None]


def shown(categories, used: set[int]) -> list:
    """The groups results show: those in use, and any group that answers were given for."""
    return [c for c in categories if c.pk in used or (not c.retired and c.part_of_id is None)]


def asked_for_figures(categories) -> list:
    """The groups the population form asks about: the census bands a wider band is made of
    (not the wider band itself, which adds them up) and every group in use without parts."""
    with_parts = {c.part_of_id for c in categories if c.part_of_id}
    return [c for c in categories if not c.is_prefer_not_to_say and c.pk not in with_parts
            and (c.part_of_id is not None or not c.retired)]


def rolled_up(categories, figures: dict[int, int], shown_ids: set[int]) -> dict[int, int]:
    """Population figures per shown group: a wider band gets the figures of the bands counted in
    it (unless that band is itself shown, so nobody is counted twice)."""
    result = {pk: n for pk, n in figures.items() if pk in shown_ids}
    for category in categories:
        if category.part_of_id in shown_ids and category.pk not in shown_ids and category.pk in figures:
            result[category.part_of_id] = result.get(category.part_of_id, 0) + figures[category.pk]
    return result
