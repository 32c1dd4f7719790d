"""Every URL of the consultation app: building and running surveys, the public pages, then the
Evidence analysis (results, representation, coding, the issues register)."""

from django.urls import include, path

from consultation import views
from consultation.views import downloads, groups, issues, representation, results, texts

app_name = "consultation"

S = "plans/<int:pk>/surveys/<int:sid>/"
FMT = "<str:fmt>"

# A resident's pages, first and under one prefix: Django tries patterns in order, and these
# answer most of the requests (every page of every survey, and the send), so no request for
# them walks the steering group's patterns, and no other request walks these.
PUBLIC = [
    path("", views.public_start, name="public_start"),
    path("page/<int:n>/", views.public_page, name="public_page"),
    path("check/", views.public_check, name="public_check"),
    path("done/", views.public_done, name="public_done"),
    path("delete-my-answers/", views.public_deletion_request, name="public_deletion_request"),
    path("resume/", views.public_resume, name="public_resume"),
    path("resume/<str:token>/", views.public_resume_link, name="public_resume_link"),
    path("results/", texts.public_results, name="public_results"),
]

urlpatterns = [
    path("s/<str:public_id>/", include(PUBLIC)),
    path("plans/<int:pk>/surveys/", views.surveys, name="surveys"),
    path("plans/<int:pk>/surveys/new/", views.survey_new, name="survey_new"),
    path(S, views.survey_detail, name="survey"),
    path(f"{S}edit/", views.survey_edit, name="survey_edit"),
    path(f"{S}duplicate/", views.survey_duplicate, name="survey_duplicate"),
    path(f"{S}open/", views.survey_open, name="survey_open"),
    path(f"{S}close/", views.survey_close, name="survey_close"),
    path(f"{S}delete/", views.survey_delete, name="survey_delete"),
    path(f"{S}preview/", views.survey_preview, name="survey_preview"),
    path(f"{S}pages/new/", views.section_edit, name="section_new"),
    path(f"{S}pages/<int:sec>/edit/", views.section_edit, name="section_edit"),
    path(f"{S}pages/<int:sec>/delete/", views.section_delete, name="section_delete"),
    path(f"{S}pages/<int:sec>/move/", views.section_move, name="section_move"),
    path(f"{S}pages/<int:sec>/questions/new/", views.question_kind, name="question_kind"),
    path(f"{S}pages/<int:sec>/questions/new/<slug:kind>/", views.question_new, name="question_new"),
    path(f"{S}pages/<int:sec>/questions/standard/", views.standard_add, name="standard_add"),
    path(f"{S}questions/<int:qid>/edit/", views.question_edit, name="question_edit"),
    path(f"{S}questions/<int:qid>/delete/", views.question_delete, name="question_delete"),
    path(f"{S}questions/<int:qid>/move/", views.question_move, name="question_move"),
    path(f"{S}questions/<int:qid>/duplicate/", views.question_duplicate, name="question_duplicate"),
    path(f"{S}codes/", views.codes, name="codes"),
    path(f"{S}codes/withdraw/", views.codes_withdraw, name="codes_withdraw"),
    path(f"{S}collection/", views.collection, name="collection"),
    path(f"{S}responses/", views.responses, name="responses"),
    path(f"{S}responses/new/", views.response_new, name="response_new"),
    path(f"{S}responses/export.csv", views.export_csv, name="export_csv"),
    path(f"{S}responses/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(f"{S}responses/<int:rid>/", views.response_detail, name="response"),
    path(f"{S}responses/<int:rid>/delete/", views.response_delete, name="response_delete"),
    path(f"{S}import/", views.import_upload, name="import_upload"),
    path(f"{S}import/template.csv", views.import_template, name="import_template"),
    path(f"{S}import/<int:bid>/", views.import_preview, name="import_preview"),
    # --- the Evidence analysis ---
    path(f"{S}results/", results.results, name="results"),
    path(f"{S}results/download.{FMT}", downloads.results_download, name="results_download"),
    path(f"{S}results/publish/", texts.results_publish, name="results_publish"),
    path(f"{S}results/public-preview/", texts.results_preview, name="results_preview"),
    path(f"{S}results/questions/<int:qid>/", results.crosstab, name="crosstab"),
    path(f"{S}results/questions/<int:qid>/download.{FMT}", downloads.crosstab_download,
         name="crosstab_download"),
    path(f"{S}answers/", texts.text_answers, name="text_answers"),
    path(f"{S}answers/<int:aid>/publish/", texts.text_publish, name="text_publish"),
    path(f"{S}answers/<int:aid>/unpublish/", texts.text_unpublish, name="text_unpublish"),
    path("plans/<int:pk>/heard/", representation.representation, name="representation"),
    path("plans/<int:pk>/heard/reviewed/", representation.representation_review,
         name="representation_review"),
    path("plans/<int:pk>/heard/population/<int:did>/", representation.baseline_edit, name="baseline"),
    path("plans/<int:pk>/heard/groups/<int:did>/", groups.dimension_groups, name="dimension_groups"),
    path("plans/<int:pk>/heard/population/<int:did>/template.csv", representation.baseline_template,
         name="baseline_template"),
    path("plans/<int:pk>/themes/", issues.themes, name="themes"),
    path("plans/<int:pk>/themes/<int:tid>/", issues.theme_edit, name="theme_edit"),
    path("plans/<int:pk>/coding/", issues.coding, name="coding"),
    path("plans/<int:pk>/coding/bulk/", issues.coding_bulk, name="coding_bulk"),
    path("plans/<int:pk>/issues/", issues.issues, name="issues"),
    path("plans/<int:pk>/issues/download.<str:fmt>", downloads.issues_download, name="issues_download"),
    path("plans/<int:pk>/issues/new/", issues.issue_edit, name="issue_new"),
    path("plans/<int:pk>/issues/priorities-round/", issues.priorities_round, name="priorities_round"),
    path("plans/<int:pk>/issues/<int:iid>/", issues.issue_detail, name="issue"),
    path("plans/<int:pk>/issues/<int:iid>/edit/", issues.issue_edit, name="issue_edit"),
    path("plans/<int:pk>/issues/<int:iid>/delete/", issues.issue_delete, name="issue_delete"),
    path("plans/<int:pk>/issues/<int:iid>/link/", issues.issue_link, name="issue_link"),
    path("plans/<int:pk>/issues/<int:iid>/unlink/<int:aid>/", issues.issue_unlink, name="issue_unlink"),
]
