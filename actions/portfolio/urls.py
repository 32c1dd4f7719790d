from django.urls import path

from actions.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("portfolio/<int:pk>/", views.overview, name="overview"),
    path("portfolio/<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("portfolio/<int:pk>/filters/", views.saved_filter_create, name="filter_save"),
    path("portfolio/<int:pk>/filters/<int:fid>/delete/", views.saved_filter_delete,
         name="filter_delete"),
    path("portfolio/<int:pk>/message/", views.bulk_message, name="message"),
]
