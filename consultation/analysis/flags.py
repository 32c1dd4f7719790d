"""The flags on issues, each decided by one rule stated once in plain words.

Every page, download and document that shows a flag (the issues register and its download, the
issue page, a priority made from an issue, and through it the councillors' review, the public
draft and frozen plan versions) takes it from here, so a flag cannot mean two things.
Nothing here queries the database: callers count, these functions decide.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultation.analysis.base import rounded

# --- clear mandate ------------------------------------------------------------------------------
MANDATE_MIN_PEOPLE = 10   # never a mandate from a handful of answers
MANDATE_SHARE = 0.2       # raised, unprompted, by at least a fifth of the open survey's respondents
MANDATE_RATING = 0.6      # or rated important or very important by at least 60% of its raters

MANDATE_RULE = gettext_lazy(
    "Clear mandate: raised by at least a fifth of the people who answered an open survey, or "
    "rated important or very important by at least 60% of the people who rated it in a "
    "priorities round – in each case only when at least 10 people answered.")


def share_label(part: int, whole: int) -> str:
    """A share as the one figure shown everywhere, e.g. "13%" for 1 of 8 (halves round up)."""
    return f"{rounded(part * 100 / whole)}%" if whole else "–"


@dataclass(frozen=True)
class Mandate:
    raised: int           # respondents to open surveys who raised the issue
    respondents: int      # everyone who answered an open survey
    raters: int = 0       # people who rated it in a priorities round
    important: int = 0    # … of whom rated it in the top two points of the scale

    @property
    def by_raising(self) -> bool:
        return (self.respondents >= MANDATE_MIN_PEOPLE
                and self.raised >= MANDATE_SHARE * self.respondents)

    @property
    def by_rating(self) -> bool:
        return self.raters >= MANDATE_MIN_PEOPLE and self.important >= MANDATE_RATING * self.raters

    @property
    def is_clear(self) -> bool:
        return self.by_raising or self.by_rating

    def __bool__(self) -> bool:
        return self.is_clear

    @property
    def reason(self) -> str:
        """What the mandate rests on, in words that do not overstate it ("" when there is none)."""
        reasons = []
        if self.by_raising:
            reasons.append(_("%(n)s of the %(of)s people who answered an open survey raised it "
                             "(%(share)s)") % {"n": self.raised, "of": self.respondents,
                                               "share": share_label(self.raised, self.respondents)})
        if self.by_rating:
            reasons.append(_("%(n)s of the %(of)s people who rated it in the priorities round said "
                             "it is important or very important (%(share)s)")
                           % {"n": self.important, "of": self.raters,
                              "share": share_label(self.important, self.raters)})
        if not reasons:
            return ""
        return _("Clear mandate: %(why)s.") % {"why": _("; and ").join(reasons)}


# --- minority need ------------------------------------------------------------------------------
MINORITY_MIN_PEOPLE = 3   # at least three people of the group raised it …
MINORITY_SHARE = 0.6      # … they are most (60%+) of the people who raised it …
MINORITY_GROUP_MAX = 0.3  # … and the group is a small part (30% or less) of the community

MINORITY_RULE = gettext_lazy(
    "Minority need: raised mostly (60% or more) by one group that makes up 30% or less of the "
    "community – of the population where the group has population figures, otherwise of the "
    "people who answered. Needs of smaller groups matter too.")


def group_share(category_id: int, respondents_share: float, population_shares: dict[int, float],
                dimension_has_baseline: bool) -> float:
    """How big a group is in the community: its population share where the plan has population
    figures for that question (an under-sampled group is not a small one), else its share of the
    people who answered."""
    if dimension_has_baseline:
        return population_shares.get(category_id, 0.0)
    return respondents_share


def is_minority_need(supporters: int, share_of_supporters: float, share_of_community: float) -> bool:
    """Raised mostly by one group that is a small part of the community."""
    return (supporters >= MINORITY_MIN_PEOPLE and share_of_supporters >= MINORITY_SHARE
            and share_of_community <= MINORITY_GROUP_MAX)
