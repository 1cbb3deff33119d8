"""The catalogue lists: courses (the course menu), lecturers, education sites, learning
resources."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from organizations.scoped import Column

from .. import selectors
from ..filtersets import (
    CourseFilterSet,
    EducationSiteFilterSet,
    LearningResourceFilterSet,
    LecturerFilterSet,
)
from ..models import (
    Course,
    EducationSite,
    LearningResource,
    Lecturer,
)
from .base import TrainingListView, _label, _names


class CourseListView(TrainingListView):
    """The course menu (课程菜单)."""

    model = Course
    filterset_class = CourseFilterSet
    title = _("Course menu")
    export_filename = "courses.xlsx"
    links = ((_("Lecturers"), "training:lecturer_list"), (_("Classes"), "training:class_list"))
    columns = (
        Column(_label(Course, "title"), lambda c: c.title),
        Column(_label(Course, "topic"), lambda c: c.get_topic_display()),
        Column(_label(Course, "format"), lambda c: c.get_format_display()),
        Column(_label(Course, "hours"), lambda c: c.hours),
        Column(_label(Course, "lecturers"), lambda c: _names(c.lecturers.all())),
        Column(_label(Course, "industries"), lambda c: _names(c.industries.all())),
    )

    def selector(self, user):
        return selectors.courses_for(user)


class LecturerListView(TrainingListView):
    model = Lecturer
    filterset_class = LecturerFilterSet
    title = _("Lecturers")
    export_filename = "lecturers.xlsx"
    columns = (
        Column(_label(Lecturer, "name"), lambda x: x.name),
        Column(_label(Lecturer, "kind"), lambda x: x.get_kind_display()),
        Column(_label(Lecturer, "department"), lambda x: x.department or ""),
        Column(_label(Lecturer, "title"), lambda x: x.title),
    )

    def selector(self, user):
        return selectors.lecturers_for(user)


class SiteListView(TrainingListView):
    model = EducationSite
    filterset_class = EducationSiteFilterSet
    title = _("Education sites")
    export_filename = "education-sites.xlsx"
    template_name = "training/site_list.html"
    columns = (
        Column(_label(EducationSite, "name"), lambda x: x.name),
        Column(_label(EducationSite, "kind"), lambda x: x.get_kind_display()),
        Column(_label(EducationSite, "region"), lambda x: x.region.name),
        Column(_label(EducationSite, "address"), lambda x: x.address),
        Column(_label(EducationSite, "vr_url"), lambda x: x.vr_url),
    )

    def selector(self, user):
        return selectors.sites_for(user)


class ResourceListView(TrainingListView):
    model = LearningResource
    filterset_class = LearningResourceFilterSet
    title = _("Learning resources")
    export_filename = "learning-resources.xlsx"
    columns = (
        Column(_label(LearningResource, "title"), lambda x: x.title),
        Column(_label(LearningResource, "pack"), lambda x: x.pack.title),
        Column(_label(LearningResource, "kind"), lambda x: x.get_kind_display()),
        Column(_label(LearningResource, "minutes"), lambda x: x.minutes),
        Column(_label(LearningResource, "url"), lambda x: x.url),
    )

    def selector(self, user):
        return selectors.resources_for(user)


course_list = CourseListView.as_view()
lecturer_list = LecturerListView.as_view()
site_list = SiteListView.as_view()
resource_list = ResourceListView.as_view()
