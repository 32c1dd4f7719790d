from django.urls import path

from actions import views

app_name = "actions"

P = "plans/<int:pk>/action-plan/"
PR = f"{P}priorities/<int:prid>/"

urlpatterns = [
    path(P, views.action_plan, name="plan"),
    path(f"{P}priorities/new/", views.priority_edit, name="priority_new"),
    path(f"{P}reorder/", views.priorities_reorder, name="priorities_reorder"),
    path(f"{P}prioritise/", views.prioritise, name="prioritise"),
    path(f"{P}prioritise/<int:section>/", views.prioritise_decide, name="prioritise_decide"),
    path(PR, views.priority_detail, name="priority"),
    path(f"{PR}edit/", views.priority_edit, name="priority_edit"),
    path(f"{PR}delete/", views.priority_delete, name="priority_delete"),
    path(f"{PR}move/", views.priority_move, name="priority_move"),
    path(f"{PR}actions/new/", views.action_edit, name="action_new"),
    path(f"{PR}actions/<int:aid>/edit/", views.action_edit, name="action_edit"),
    path(f"{PR}actions/<int:aid>/delete/", views.action_delete, name="action_delete"),
    path(f"{PR}questions/<int:cid>/answer/", views.reply, name="reply"),
    path("plans/<int:pk>/councillor-support/", views.endorsements, name="endorsements"),
    path("plans/<int:pk>/councillor-support/ask/", views.request_new, name="request_new"),
    path("plans/<int:pk>/review-priorities/", views.review, name="review"),
    path("plans/<int:pk>/review-priorities/<int:prid>/", views.respond, name="respond"),
    path("plans/<int:pk>/draft-plan/", views.draft, name="draft"),
    path("plans/<int:pk>/draft-plan/edit/", views.draft_edit, name="draft_edit"),
    path("plans/<int:pk>/draft-plan/publish/", views.draft_publish, name="draft_publish"),
    path("plans/<int:pk>/draft-plan/comments/", views.comments, name="comments"),
    path("plans/<int:pk>/draft-plan/comments/<int:cid>/", views.comment_moderate,
         name="comment_moderate"),
    path("plans/<int:pk>/finalise/", views.finalise, name="finalise"),
    path("plans/<int:pk>/versions/", views.versions_list, name="versions"),
    path("plans/<int:pk>/versions/<int:number>/", views.version, name="version"),
    path("draft-plans/<int:pk>/", views.public_draft, name="public_draft"),
    path("adopted-plans/<int:pk>/", views.public_adopted, name="public_adopted"),
]
