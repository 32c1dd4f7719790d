"""Consultation services: views and tasks call these; they never write consultation rows themselves.

`building` makes surveys (dimensions, lifecycle, pages, questions); `collecting` gathers answers
(codes, residents, volunteers) and does the after-commit and periodic work; `importing` checks
and imports CSV files of paper returns; `evidence` is the Evidence analysis's writes (population
figures, themes and coding, the issues register, publishing residents' words); `retention`
removes personal data when it is no longer needed.
"""

from consultation.services.bank import (
    standard_question_add,
    standard_question_retire,
    standard_question_save,
    standards_for,
)
from consultation.services.base import (
    MILESTONES,
    CodeRefused,
    DuplicateCode,
    Incomplete,
    Refused,
)
from consultation.services.building import (
    dimension_for,
    question_create,
    question_delete,
    question_duplicate,
    question_move,
    question_update,
    section_delete,
    section_move,
    section_save,
    survey_close,
    survey_create,
    survey_delete,
    survey_duplicate,
    survey_open,
    survey_update,
)
from consultation.services.collecting import (
    CODE_USED,
    answers_save,
    coded_questionnaires_make,
    codes_generate,
    codes_withdraw,
    deletion_request_make,
    find_code,
    leaflets_make,
    response_delete,
    response_enter,
    response_renew_token,
    response_start,
    response_submit,
    survey_notify_milestone,
    surveys_sweep,
)
from consultation.services.importing import (
    ImportResult,
    import_check,
    import_queue,
    import_run,
    import_upload,
)

__all__ = [
    "CODE_USED", "MILESTONES", "CodeRefused", "DuplicateCode", "ImportResult", "Incomplete",
    "Refused", "answers_save", "coded_questionnaires_make", "codes_generate", "codes_withdraw",
    "deletion_request_make",
    "response_renew_token", "dimension_for", "find_code", "import_check", "import_queue", "import_run",
    "import_upload", "leaflets_make", "question_create", "question_delete",
    "question_duplicate", "question_move", "question_update", "response_delete", "response_enter",
    "response_start", "response_submit", "section_delete", "section_move", "section_save",
    "survey_close", "survey_create", "survey_delete", "survey_duplicate", "survey_notify_milestone",
    "survey_open", "survey_update", "surveys_sweep", "standard_question_add",
    "standard_question_retire", "standard_question_save", "standards_for",
]
