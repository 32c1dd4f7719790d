from django.urls import path

from actions import views
from actions.views import delivery, public

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
    # delivery (steps 8 and 9)
    path("plans/<int:pk>/delivery/", delivery.overview, name="delivery"),
    path(f"{PR}actions/<int:aid>/", delivery.action_detail, name="action"),
    path(f"{PR}actions/<int:aid>/update/", delivery.update_new, name="update_new"),
    path(f"{PR}actions/<int:aid>/ask/", delivery.owner_request, name="owner_request"),
    path(f"{PR}actions/<int:aid>/send-update-link/", delivery.update_link_send,
         name="update_link_send"),
    path(f"{PR}actions/<int:aid>/updates/<int:uid>/file/", delivery.update_file, name="update_file"),
    path("plans/<int:pk>/partners/", delivery.partners, name="partners"),
    path("plans/<int:pk>/offers-to-help/", delivery.offers, name="offers"),
    path("plans/<int:pk>/offers-to-help/<int:oid>/", delivery.offer_decide, name="offer_decide"),
    path("plans/<int:pk>/raised-issues/", delivery.raised_issues, name="raised_issues"),
    path("plans/<int:pk>/raised-issues/<int:rid>/", delivery.raised_issue_moderate,
         name="raised_issue_moderate"),
    path("plans/<int:pk>/community-updates/", delivery.community_updates, name="community_updates"),
    path("plans/<int:pk>/community-updates/new/", delivery.community_update_edit,
         name="community_update_new"),
    path("plans/<int:pk>/community-updates/<int:uid>/", delivery.community_update_edit,
         name="community_update_edit"),
    path("plans/<int:pk>/plan-review/", delivery.plan_review, name="plan_review"),
    # for residents, and the signed links from delivery emails
    path("plans/<int:pk>/progress/", public.public_progress, name="public_progress"),
    path("plans/<int:pk>/progress/actions/<int:aid>/help/", public.offer_new, name="offer_new"),
    path("plans/<int:pk>/progress/raise-an-issue/", public.raise_issue, name="raise_issue"),
    path("plans/<int:pk>/progress/follow/", public.follow, name="follow"),
    path("delivery-links/actions/<int:aid>/answer/<str:token>/", public.owner_answer,
         name="owner_answer"),
    path("delivery-links/actions/<int:aid>/update/<str:token>/", public.update_by_link,
         name="update_by_link"),
    path("delivery-links/offers/<str:token>/", public.offer_confirm, name="offer_confirm"),
    path("delivery-links/follow/<str:token>/", public.follow_confirm, name="follow_confirm"),
]
