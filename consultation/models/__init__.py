"""The consultation app's models: surveys and residents' answers (`surveys`), the Evidence
analysis (`evidence`) and the version of a survey's answers its cached counts belong to (`counts`).

Every name is importable from `consultation.models`, as it was when this was one module."""

from consultation.models.counts import ResponsesVersion
from consultation.models.evidence import (
    STARTER_THEMES,
    AnswerCoding,
    BaselineFigure,
    Issue,
    PopulationBaseline,
    PublishedText,
    RepresentationReview,
    Theme,
)
from consultation.models.surveys import (
    ANONYMISED_TEXT,
    CHOICE_KINDS,
    CODE_ALPHABET,
    CODE_LENGTH,
    TEXT_KINDS,
    AccessCode,
    AccessMode,
    Answer,
    AnswerPart,
    Channel,
    DeletionRequest,
    Dimension,
    DimensionCategory,
    DimensionKind,
    ImportBatch,
    ImportStatus,
    Option,
    Question,
    QuestionKind,
    Response,
    ResponseDeletion,
    ResponseQuerySet,
    ResponseStatus,
    Section,
    StandardQuestion,
    Survey,
    SurveyKind,
    SurveyQuerySet,
    SurveyStatus,
    code_digest,
    display_code,
    new_public_id,
    new_resume_token,
    normalise_code,
    parse_receipt,
    receipt_check,
)

__all__ = [
    "ANONYMISED_TEXT", "CHOICE_KINDS", "CODE_ALPHABET", "CODE_LENGTH", "STARTER_THEMES", "TEXT_KINDS",
    "AccessCode", "AccessMode", "Answer", "AnswerCoding", "AnswerPart", "BaselineFigure", "Channel",
    "DeletionRequest", "Dimension", "DimensionCategory", "DimensionKind", "ImportBatch", "ImportStatus",
    "Issue", "Option", "PopulationBaseline", "PublishedText", "Question", "QuestionKind",
    "RepresentationReview", "Response", "ResponseDeletion", "ResponseQuerySet", "ResponseStatus",
    "ResponsesVersion", "Section", "StandardQuestion", "Survey", "SurveyKind", "SurveyQuerySet",
    "SurveyStatus", "Theme",
    "code_digest", "display_code", "new_public_id", "new_resume_token", "normalise_code",
    "parse_receipt", "receipt_check",
]
