from consultation.views.bank import standard_add
from consultation.views.builder import (
    question_delete,
    question_duplicate,
    question_edit,
    question_kind,
    question_move,
    question_new,
    section_delete,
    section_edit,
    section_move,
    survey_close,
    survey_delete,
    survey_detail,
    survey_duplicate,
    survey_edit,
    survey_new,
    survey_open,
    survey_preview,
    surveys,
)
from consultation.views.collection import (
    collection,
    export_csv,
    export_xlsx,
    response_delete,
    response_detail,
    responses,
)
from consultation.views.entry import (
    codes,
    codes_withdraw,
    import_preview,
    import_template,
    import_upload,
    response_new,
)
from consultation.views.public import (
    public_check,
    public_deletion_request,
    public_done,
    public_page,
    public_resume,
    public_resume_link,
    public_start,
)

__all__ = [
    "codes", "codes_withdraw", "collection", "export_csv", "export_xlsx",
    "import_preview", "import_template", "import_upload", "public_check",
    "public_deletion_request", "public_done",
    "public_page", "public_resume", "public_resume_link", "public_start", "question_delete",
    "question_duplicate",
    "question_edit", "question_kind", "question_move", "question_new", "response_delete",
    "response_detail", "response_new", "responses", "section_delete", "section_edit",
    "section_move", "survey_close", "survey_delete", "survey_detail", "survey_duplicate",
    "survey_edit", "survey_new", "survey_open", "survey_preview", "surveys", "standard_add",
]
