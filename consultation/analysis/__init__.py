"""The Evidence analysis, read-only: nothing here changes an answer, a theme or an issue (the
only row written is the version `counts` keys its cache by, bumped by the services).

`results` (a survey's figures as one viewer may see them: `results_for`), `coverage` (who has
been heard against the population, and which groups a plan must reach have been), `issues` (the
issues register's support and flags), `suppression` (which small numbers are hidden), `counts`
(the count tables kept between requests), `flags` (the rules behind each flag on an issue),
`groups` (which groups are shown), `redaction` (what could identify someone), and the files:
`tables` (figures as CSV or XLSX), `exports` (responses as rows), `spreadsheet` (streaming both).

The names below are importable from `consultation.analysis`, as they were when it was one module.
"""

from consultation.analysis.base import (
    CHART_KINDS,
    NUMBER_KINDS,
    TEXT_KINDS,
    Cell,
    Filters,
    percent,
    respondents,
    rounded,
)
from consultation.analysis.coverage import (
    DimensionShares,
    GroupShare,
    dimension_shares,
    representation,
)
from consultation.analysis.results import (
    CrossTab,
    QuestionResult,
    Results,
    Weighted,
    crosstab,
    disclosure_for,
    love_hate_counts,
    question_result,
    results_for,
    survey_figures,
    survey_results,
    text_answers,
    tier,
    unfiltered_count,
    weighted_result,
)

__all__ = [
    "CHART_KINDS", "NUMBER_KINDS", "TEXT_KINDS", "Cell", "CrossTab", "DimensionShares", "Filters",
    "GroupShare", "QuestionResult", "Results", "Weighted", "crosstab", "dimension_shares",
    "disclosure_for", "love_hate_counts", "percent", "question_result", "representation",
    "respondents", "results_for", "rounded", "survey_figures", "survey_results", "text_answers",
    "tier", "unfiltered_count", "weighted_result",
]
