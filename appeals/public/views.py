"""The public door for workers (no login): file an appeal, get a reference number, follow it
with the reference and the last four digits of the phone, and rate the reply once the case is
closed (the return visit).

Thin: the forms shape input; :func:`appeals.services.appeal_create` and
:func:`appeals.services.appeal_visit` decide. Both doors are rate-limited per client address
(the fixed window of :mod:`core.throttle`, with counters of their own). A wrong reference
and wrong digits get the same answer, so the door never tells whether a reference exists.
The page never shows a phone, a name, a staff member or an internal note: only the steps
(status and time), the level the appeal has reached, the expected reply time and the reply.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from core import throttle
from core.doorforms import CONSENT_FIELD, HONEYPOT_FIELD, PublicDoorForm
from core.forms import apply_service_errors
from organizations.choices import EnterpriseKind, RegionLevel
from organizations.models import Enterprise, Region

from ..choices import Channel, Level, Status
from ..models import Appeal, AppealEvent, Category
from ..photos.services import appeal_photos_attach, clean_photos
from ..services import allowed_actions, appeal_create, appeal_visit, new_reference
from ..services.retention import RETENTION_YEARS
from .selectors import handler_line

SESSION_REFERENCE = "appeals_public_reference"
SESSION_FOLLOWED = "appeals_public_followed"

NOT_FOUND = _("No appeal matches this reference number and these digits. Check both and try again.")


# --- the rate limit ---------------------------------------------------------------------------


def limits(door: str) -> tuple[int, int]:
    """(attempts allowed, window in seconds) for ``door`` ("file" or "follow")."""
    if door == "file":
        return (
            int(getattr(settings, "APPEALS_PUBLIC_RATE_LIMIT", 5)),
            int(getattr(settings, "APPEALS_PUBLIC_RATE_WINDOW", 600)),
        )
    return (
        int(getattr(settings, "APPEALS_FOLLOW_RATE_LIMIT", 10)),
        int(getattr(settings, "APPEALS_FOLLOW_RATE_WINDOW", 600)),
    )


def allow(request: HttpRequest, door: str) -> bool:
    """Count one attempt at ``door`` from this client; each door counts apart, so following an
    appeal does not use up the allowance of filing one."""
    limit, window = limits(door)
    return throttle.allow(request, door=f"appeals-{door}", limit=limit, window=window)


def _limited(request: HttpRequest, door: str) -> HttpResponse:
    limit, window = limits(door)
    return render(
        request,
        "appeals/public/limited.html",
        {"limit": limit, "minutes": max(1, window // 60), "door": door},
        status=429,
    )


# --- forms ------------------------------------------------------------------------------------


def _max(name: str) -> int:
    return Appeal._meta.get_field(name).max_length


#: The personal-information notice of the public appeal form (appeals/public/_notice.html): its
#: version is stored with each appeal that accepted it; change it when the text changes.
APPEAL_NOTICE_VERSION = "appeal-2026-12"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to :data:`~appeals.photos.services.MAX_PHOTOS` files in one input."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(PhotosField, self).clean(item, initial) for item in items if item]


class PublicAppealForm(PublicDoorForm):
    """What a worker can tell us without an account. The service validates again."""

    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.none(),
        to_field_name="code",
        empty_label=_("Choose a category"),
    )
    description = forms.CharField(
        label=_("Describe your appeal"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("What happened, when, and what you would like to be done."),
    )
    location = forms.CharField(
        label=_("Where did it happen?"),
        max_length=_max("location"),
        required=False,
        help_text=_("A street, a shopping area, a station or an address."),
    )
    region = forms.ModelChoiceField(
        label=_("District or street"),
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Not sure"),
    )
    platform = forms.ModelChoiceField(
        label=_("Platform concerned (optional)"),
        queryset=Enterprise.objects.none(),
        required=False,
        empty_label=_("None or not listed"),
    )
    contact_name = forms.CharField(
        label=_("Your name"), max_length=_max("contact_name"), required=False
    )
    contact_phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        help_text=_("Needed to follow your appeal: you will be asked for its last four digits."),
    )
    photos = PhotosField(
        label=_("Photos (optional, at most 3)"),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP, at most 5 MB each. Location and camera data are removed; only "
            "the staff handling your appeal see them."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(active=True)
        self.fields["region"].queryset = (
            Region.objects.exclude(level=RegionLevel.COMMUNITY)
            .only("code", "name", "depth")
            .order_by("path")
        )
        self.fields["region"].label_from_instance = lambda r: "\u3000" * r.depth + r.name
        self.fields["platform"].queryset = Enterprise.objects.filter(
            kind=EnterpriseKind.PLATFORM_HQ
        ).order_by("name")
        self.fields["platform"].label_from_instance = lambda e: e.name
        attrs = {
            "contact_name": {"autocomplete": "name"},
            "contact_phone": {"type": "tel", "inputmode": "tel", "autocomplete": "tel"},
            "location": {"autocomplete": "street-address"},
        }
        for name, field in self.fields.items():
            field.widget.attrs.update(attrs.get(name, {}))
            if name != CONSENT_FIELD:
                field.widget.attrs.setdefault("class", "input")
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"
        self.fields["contact_phone"].widget.input_type = "tel"

    def clean_photos(self) -> list:
        """Each photo checked and re-encoded without metadata (appeals.photos.services)."""
        return clean_photos(self.cleaned_data.get("photos") or [])

    def service_data(self) -> dict[str, Any]:
        data, consented = self.door_data()
        data.pop("photos", None)
        if consented:
            data["consented_at"] = timezone.now()
            data["notice_version"] = APPEAL_NOTICE_VERSION
        platform = data.pop("platform", None)
        if platform is not None:
            data["enterprise"] = platform
            data["industry"] = platform.industry
        return {k: v for k, v in data.items() if v not in (None, "")}


class FollowForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference number"),
        max_length=_max("reference"),
        help_text=_("As shown when you filed the appeal, e.g. SQ20260302ABC234."),
    )
    digits = forms.RegexField(
        label=_("Last four digits of your phone"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={"invalid": _("Type the last four digits.")},
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["reference"].widget.attrs.update(
            {
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autocomplete": "off",
                "aria-describedby": "id_reference_helptext",
            }
        )
        self.fields["digits"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "pattern": r"\d{4}"}
        )
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "input")

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper().replace(" ", "")


class VisitForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the reply?"),
        choices=[
            (5, _("5 — very satisfied")),
            (4, _("4 — satisfied")),
            (3, _("3 — so-so")),
            (2, _("2 — unsatisfied")),
            (1, _("1 — very unsatisfied")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "input"}),
    )


# --- filing -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def file(request: HttpRequest) -> HttpResponse:
    """The public appeal form: rate-limited per client, with a honeypot and CSRF."""
    if request.method == "GET":
        return render(request, "appeals/public/file.html", _file_context(PublicAppealForm()))
    if not allow(request, "file"):
        return _limited(request, "file")
    form = PublicAppealForm(request.POST, request.FILES)
    if request.POST.get(HONEYPOT_FIELD):
        # A bot: answer as if it worked, store nothing.
        request.session[SESSION_REFERENCE] = new_reference(timezone.now())
        return redirect("appeals_public:filed")
    if form.is_valid():
        try:
            with transaction.atomic():
                appeal = appeal_create(actor=None, data=form.service_data(), channel=Channel.WEB)
                if form.cleaned_data["photos"]:
                    appeal_photos_attach(
                        actor=None, appeal=appeal, photos=form.cleaned_data["photos"]
                    )
        except ValidationError as exc:
            apply_service_errors(form, exc, aliases={"enterprise": "platform"})
        else:
            request.session[SESSION_REFERENCE] = appeal.reference
            return redirect("appeals_public:filed")
    return render(request, "appeals/public/file.html", _file_context(form), status=400)


def _file_context(form: PublicAppealForm) -> dict[str, Any]:
    return {"form": form, "retention_years": RETENTION_YEARS}


def filed(request: HttpRequest) -> HttpResponse:
    """The reference number, once, and nothing of what was submitted."""
    reference = request.session.pop(SESSION_REFERENCE, None)
    if not reference:
        return redirect("appeals_public:file")
    return render(request, "appeals/public/filed.html", {"reference": reference})


# --- following --------------------------------------------------------------------------------


def _verified(request: HttpRequest) -> Appeal | None:
    """The appeal this browser proved it may follow (reference and digits, this session)."""
    pk = request.session.get(SESSION_FOLLOWED)
    if not pk:
        return None
    return Appeal.objects.select_related("category").filter(pk=pk).first()


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Reference + last four digits → the status page (POST, so the digits never land in a
    URL or an access log). Every attempt counts against the follow-up rate limit."""
    if request.method == "GET":
        return render(request, "appeals/public/follow.html", {"form": FollowForm()})
    if not allow(request, "follow"):
        return _limited(request, "follow")
    form = FollowForm(request.POST)
    if form.is_valid():
        appeal = (
            Appeal.objects.select_related("submitter")
            .filter(reference=form.cleaned_data["reference"])
            .first()
        )
        if appeal is not None and appeal.phone_ends_with(form.cleaned_data["digits"]):
            request.session.cycle_key()
            request.session[SESSION_FOLLOWED] = appeal.pk
            return redirect("appeals_public:status")
        form.add_error(None, NOT_FOUND)
    return render(request, "appeals/public/follow.html", {"form": form}, status=400)


#: Steps shown to the worker: every kind, by its label; notes are never shown.
def _timeline(appeal: Appeal) -> list[dict[str, Any]]:
    return [
        {"label": event.get_kind_display(), "at": event.at, "level": Level(event.to_level).label}
        for event in AppealEvent.objects.filter(appeal=appeal)
        .only("kind", "at", "to_level")
        .order_by("at", "id")
    ]


def status(request: HttpRequest) -> HttpResponse:
    appeal = _verified(request)
    if appeal is None:
        return redirect("appeals_public:follow")
    return _status_page(request, appeal, VisitForm())


def _status_page(request: HttpRequest, appeal: Appeal, visit_form: VisitForm, code: int = 200):
    return render(
        request,
        "appeals/public/status.html",
        {
            "appeal": appeal,
            "status_label": Status(appeal.status).label,
            "level_label": Level(appeal.level).label,
            "handler_line": handler_line(appeal),
            "timeline": _timeline(appeal),
            "can_rate": "visit" in allowed_actions(appeal),  # the workflow's own table
            "visit_form": visit_form,
            "rated": appeal.satisfaction is not None and appeal.status != Status.CLOSED,
        },
        status=code,
    )


@require_POST
def visit(request: HttpRequest) -> HttpResponse:
    """The worker's return visit: a 1–5 score through :func:`appeals.services.appeal_visit`
    with ``actor=None`` (the service's "visitor" who came through a verified public door)."""
    appeal = _verified(request)
    if appeal is None:
        return redirect("appeals_public:follow")
    form = VisitForm(request.POST)
    if form.is_valid():
        try:
            appeal_visit(
                actor=None,
                appeal=appeal,
                score=form.cleaned_data["score"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, gettext("Thank you: your rating was recorded."))
            return redirect("appeals_public:status")
    appeal.refresh_from_db()
    return _status_page(request, appeal, form, code=400)
