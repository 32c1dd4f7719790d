from django.urls import path

from actions.portfolio import views, views_bank

app_name = "portfolio"

urlpatterns = [
    path("portfolio/<int:pk>/", views.overview, name="overview"),
    path("portfolio/<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("portfolio/<int:pk>/filters/", views.saved_filter_create, name="filter_save"),
    path("portfolio/<int:pk>/filters/<int:fid>/delete/", views.saved_filter_delete,
         name="filter_delete"),
    path("portfolio/<int:pk>/message/", views.bulk_message, name="message"),
    path("portfolio/<int:pk>/questions/", views_bank.bank, name="bank"),
    path("portfolio/<int:pk>/questions/new/", views_bank.bank_kind, name="bank_kind"),
    path("portfolio/<int:pk>/questions/new/<slug:kind>/", views_bank.bank_new, name="bank_new"),
    path("portfolio/<int:pk>/questions/<int:qid>/edit/", views_bank.bank_edit, name="bank_edit"),
    path("portfolio/<int:pk>/questions/<int:qid>/retire/", views_bank.bank_retire,
         name="bank_retire"),
    path("portfolio/<int:pk>/questions/<int:qid>/compare/", views_bank.compare_answers,
         name="compare"),
]
