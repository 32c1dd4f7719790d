"""The consultation app's forms: building and collecting (`surveys`), the answers form every route
into the database shares (`answers`), reading an uploaded CSV (`uploads`) and the Evidence
analysis (`evidence`). Forms never call services; services may use `answers` and `uploads`."""

from consultation.forms.answers import AnswerForm
from consultation.forms.evidence import (
    BaselineCsvForm,
    BaselineForm,
    CodingBulkForm,
    DimensionGroupsForm,
    IssueForm,
    PrioritiesRoundForm,
    PublishForm,
    ReviewForm,
    ThemeForm,
)
from consultation.forms.surveys import (
    CodesForm,
    DeletionRequestForm,
    EntryForm,
    ImportForm,
    QuestionForm,
    ReasonForm,
    ResumeForm,
    SectionForm,
    StartForm,
    SurveyCreateForm,
    SurveyForm,
)

__all__ = [
    "AnswerForm", "BaselineCsvForm", "BaselineForm", "CodesForm", "CodingBulkForm",
    "DeletionRequestForm",
    "DimensionGroupsForm", "EntryForm", "ImportForm", "IssueForm", "PrioritiesRoundForm",
    "PublishForm", "QuestionForm", "ReasonForm", "ResumeForm", "ReviewForm", "SectionForm",
    "StartForm", "SurveyCreateForm", "SurveyForm", "ThemeForm",
]
