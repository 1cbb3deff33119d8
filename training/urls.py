from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.course_list, name="course_list"),
    path("lecturers/", views.lecturer_list, name="lecturer_list"),
    path("sites/", views.site_list, name="site_list"),
    path("resources/", views.resource_list, name="resource_list"),
    path("classes/", views.class_list, name="class_list"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("sessions/<int:pk>/check-in/", views.session_check_in, name="session_check_in"),
    path("sessions/<int:pk>/new-code/", views.session_new_code, name="session_new_code"),
    path("records/workers/<int:pk>/", views.worker_record, name="worker_record"),
    path("records/members/<int:pk>/", views.member_record, name="member_record"),
    path("lessons/", views.lesson_list, name="lesson_list"),
    path("outreach/", views.outreach_list, name="outreach_list"),
    path("designations/", views.designation_list, name="designation_list"),
    path("stats/", views.stats, name="stats"),
]
