"""URLs of the Evidence analysis (results, representation, coding, issues); included by urls.py."""

from django.urls import path

from consultation.views import downloads, groups, issues, representation, results, texts

S = "plans/<int:pk>/surveys/<int:sid>/"
FMT = "<str:fmt>"

urlpatterns = [
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
    path("s/<str:public_id>/results/", texts.public_results, name="public_results"),
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
