"""``POST /api/v1/member-claims/``: a partner app reports a party member in (党员找组织).

The partner gets the reference number and nothing else back: not whether the id matched a
member, not the case. Validation errors come field by field in the API's one error format.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.authentication import PartnerAPIKeyAuthentication

from ..choices import ClaimChannel
from ..services.claims import claim_submit


class MemberClaimSerializer(serializers.Serializer):
    """A member's report. Codes, not ids: ``industry`` an industry code, ``region`` a region
    code, ``enterprise`` a unified social credit code."""

    name = serializers.CharField(max_length=64, label=_("name"))
    id_number = serializers.CharField(
        max_length=18,
        label=_("resident ID number"),
        help_text=_("18 characters (or 15 legacy digits)."),
    )
    phone = serializers.CharField(max_length=20, label=_("phone"))
    home_organization_name = serializers.CharField(
        max_length=128,
        label=_("home organization"),
        help_text=_("The party organization holding the membership relation."),
    )
    employer_name = serializers.CharField(
        max_length=128, required=False, allow_blank=True, label=_("employer")
    )
    industry = serializers.CharField(required=False, allow_blank=True, label=_("industry (code)"))
    enterprise = serializers.CharField(
        required=False, allow_blank=True, label=_("enterprise (unified social credit code)")
    )
    region = serializers.CharField(required=False, allow_blank=True, label=_("work region (code)"))
    work_place = serializers.CharField(
        max_length=200, required=False, allow_blank=True, label=_("where they work")
    )


class MemberClaimReferenceSerializer(serializers.Serializer):
    reference = serializers.CharField(label=_("reference number"), read_only=True)


class CanSubmitClaims(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("members.add_memberclaim"))


class MemberClaimView(APIView):
    authentication_classes = [PartnerAPIKeyAuthentication]
    permission_classes = [CanSubmitClaims]

    @extend_schema(
        tags=["member-claims"],
        summary=_("Report a party member in"),
        description=_(
            "A party member working in the city reports in through a partner app. The report "
            "opens a case in the two-finds flow. The answer holds only the reference number; "
            "the partner learns nothing about the member roll."
        ),
        request=MemberClaimSerializer,
        responses={201: MemberClaimReferenceSerializer},
        examples=[
            OpenApiExample(
                "report",
                request_only=True,
                value={
                    "name": "张伟",
                    "id_number": "32040219900307123X",
                    "phone": "13912345678",
                    "home_organization_name": "安徽省阜阳市某村党支部",
                    "employer_name": "美团天宁站",
                    "industry": "food_delivery",
                    "region": "320402",
                    "work_place": "天宁区雕庄街道",
                },
            ),
            OpenApiExample(
                "reference", response_only=True, value={"reference": "SZ20261201K7QX2M"}
            ),
        ],
    )
    def post(self, request):
        serializer = MemberClaimSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = claim_submit(
            channel=ClaimChannel.PARTNER_API,
            data=serializer.validated_data,
            submitted_by=request.user,
        )
        return Response({"reference": claim.reference}, status=status.HTTP_201_CREATED)
