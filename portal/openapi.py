"""The OpenAPI document's settings (drf-spectacular): title, the sidecar UI, the enum names
and the hooks that document the one error format. Pure data, read by ``portal.settings``."""

SPECTACULAR_SETTINGS = {
    "TITLE": "新就业群体党建工作平台 API",
    "DESCRIPTION": (
        "REST API for partner systems (platforms, the 12345 hotline, station operators) and the "
        "browser portal. Authenticate with `Authorization: Api-Key <key>` or a browser session. "
        "Errors share one format: `{code, message, fields, request_id}`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Several models have a "status": name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "OrganizationStatusEnum": "organizations.choices.OrganizationStatus",
        "EnterpriseStatusEnum": "organizations.choices.EnterpriseStatus",
        "MemberStatusEnum": "members.choices.MemberStatus",
        "TransferLetterStatusEnum": "members.choices.TransferLetterStatus",
        "ProposalStatusEnum": "members.choices.ProposalStatus",
        "CaseStatusEnum": "members.choices.CaseStatus",
        "AppealStatusEnum": "appeals.choices.Status",
        "AppealChannelEnum": "appeals.choices.Channel",
        # Keeps the check-in channel's name from before appeals had a "channel" too.
        "ChannelEnum": "stations.choices.CheckInChannel",
        "AppealLevelEnum": "appeals.choices.Level",
        "MeetingKindEnum": "branchlife.choices.MeetingKind",
        # Keeps its name now that a meeting's detail (with photos) is a component too.
        "MeetingStatusEnum": "branchlife.choices.MeetingStatus",
        "WhistleStatusEnum": "ecosystem.whistles.choices.WhistleStatus",
        "WhistleAssignmentStatusEnum": "ecosystem.whistles.choices.AssignmentStatus",
        "JobApplicationStatusEnum": "ecosystem.jobfairs.choices.ApplicationStatus",
        "PositionStatusEnum": "ecosystem.jobfairs.choices.PositionStatus",
        "MediationStatusEnum": "ecosystem.massorgs.choices.MediationStatus",
        "GridSkillEnum": "grid.choices.Skill",
        "GridVolunteerChannelEnum": "grid.choices.VolunteerChannel",
        "RecruitmentStepEnum": "recruitment.choices.StepCode",
        "MeetingCheckInChannelEnum": "branchlife.choices.CheckInChannel",
        "DuesCategoryEnum": "branchlife.choices.DuesCategory",
        "DuesPaymentChannelEnum": "branchlife.choices.PaymentChannel",
        "JobApplicationChannelEnum": "ecosystem.jobfairs.choices.ApplicationChannel",
        "WhistleCategoryEnum": "ecosystem.whistles.choices.WhistleCategory",
        "ResearchOutputKindEnum": "taskforce.choices.OutputKind",
    },
    # Every operation documents its error answers in the one error format (core.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.document_error_responses",
    ],
    # Security schemes come from the authentication classes (core.api.schema describes the
    # API key), per endpoint.
}
