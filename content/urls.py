from django.urls import path

from content import views

app_name = "content"

urlpatterns = [
    path("", views.home, name="home"),
    path("site-map/", views.site_map, name="site_map"),
    path("<slug:slug>/", views.page_detail, name="page"),
]
