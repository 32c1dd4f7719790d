from django.urls import path

from plans import views

app_name = "plans"


def _content(section: str) -> list:
    base = f"plans/<int:pk>/{section}/"
    extra = {"section": section}
    return [
        path(base, views.content_list, extra, name=section),
        path(f"{base}new/", views.content_edit, extra, name=f"{section}_new"),
        path(f"{base}<int:oid>/edit/", views.content_edit, extra, name=f"{section}_edit"),
        path(f"{base}<int:oid>/delete/", views.content_delete, extra, name=f"{section}_delete"),
    ]


urlpatterns = [
    path("c/", views.community_list, name="communities"),
    path("councillor/plans/", views.councillor_plans, name="councillor_plans"),
    path("c/<slug:slug>/", views.community_public, name="community"),
    path("c/<slug:slug>/plans/new/", views.plan_create, name="create"),
    path("plans/<int:pk>/", views.plan_detail, name="detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="edit"),
    path("plans/<int:pk>/history/", views.plan_history, name="history"),
    path("plans/<int:pk>/emails/", views.plan_notifications, name="notifications"),
    path("portfolio/<int:pk>/emails/", views.portfolio_notifications, name="portfolio_notifications"),
    path("plans/<int:pk>/advance/", views.plan_advance, name="advance"),
    path("plans/<int:pk>/revisit/", views.plan_revisit, name="revisit"),
    path("plans/<int:pk>/review/", views.plan_review, name="review"),
    path("plans/<int:pk>/pause/", views.plan_pause, name="pause"),
    path("plans/<int:pk>/resume/", views.plan_resume, name="resume"),
    path("plans/<int:pk>/close/", views.plan_close, name="close"),
    path("plans/<int:pk>/checklist/<slug:key>/tick/", views.checklist_tick, name="tick"),
    path("plans/<int:pk>/checklist/<slug:key>/untick/", views.checklist_untick, name="untick"),
    path("plans/<int:pk>/checklist/<slug:key>/waive/", views.checklist_waive, name="waive"),
    path("plans/<int:pk>/checklist/<slug:key>/unwaive/", views.checklist_unwaive, name="unwaive"),
    path("plans/<int:pk>/members/", views.members, name="members"),
    path("plans/<int:pk>/members/invite/", views.member_invite, name="member_invite"),
    path("plans/<int:pk>/members/<int:mid>/edit/", views.member_edit, name="member_edit"),
    path("plans/<int:pk>/members/<int:mid>/remove/", views.member_remove, name="member_remove"),
    path("plans/<int:pk>/invitations/<int:iid>/withdraw/", views.invitation_withdraw,
         name="invitation_withdraw"),
    path("plans/<int:pk>/invitations/<int:iid>/resend/", views.invitation_resend,
         name="invitation_resend"),
    path("plans/<int:pk>/councillors/attach/", views.councillor_attach, name="councillor_attach"),
    path("plans/<int:pk>/councillors/invite/", views.councillor_invite, name="councillor_invite"),
    path("plans/<int:pk>/<slug:section>/<int:oid>/file/", views.file_download, name="file"),
    path("plans/<int:pk>/publications/", views.publications, name="publications"),
    path("plans/<int:pk>/publications/new/", views.publication_new, name="publication_new"),
    path("plans/<int:pk>/publications/<int:pid>/", views.publication, name="publication"),
    path("plans/<int:pk>/publications/<int:pid>/retry/", views.publication_retry,
         name="publication_retry"),
    path("plans/<int:pk>/publications/<int:pid>/pdf/", views.publication_file, name="publication_file"),
    path("plans/<int:pk>/publications/<int:pid>/page/", views.publication_page, name="publication_page"),
    path("documents/<int:pid>/", views.public_document, name="public_document"),
    path("documents/<int:pid>/pdf/", views.public_document_pdf, name="public_document_pdf"),
    *_content("milestones"),
    *_content("support"),
    *_content("meetings"),
    *_content("evidence"),
]
