"""Personal data under PIPL: the classes every personal field belongs to.

The class decides who may read a field (minimum necessary, Art. 6), whether a read is
logged (sensitive and evaluation data), how long it is kept (retention rules name a class)
and whether processing needs a separate consent (sensitive, Art. 28–29)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, Uuid


class DataClass(StrEnum):
    """What kind of personal information a field holds."""

    BASIC = "basic"
    """Name, department, position, hire date: what a colleague may know."""
    CONTACT = "contact"
    """Work and personal phone, e-mail, address."""
    SENSITIVE = "sensitive"
    """PIPL Art. 28: ID number, health, family, religion, biometrics, finances, salary."""
    EVALUATION = "evaluation"
    """Ratings, 360 answers, competency gaps, screening and ranking results, points."""


PERSON_TABLES = frozenset({"employees", "users"})
"""The tables that are people; any table referring to one of them holds personal data."""
PERSONAL_WITHOUT_REFERENCE = frozenset({"audit_events", "dingtalk_events", "idempotency_keys"})
"""Tables that name people without a foreign key: snapshots, payloads, stored responses."""


def _classes(**by_class: str) -> dict[str, DataClass]:
    """`basic="a b", evaluation="c"` as `{"a": BASIC, "b": BASIC, "c": EVALUATION}`."""
    return {
        column: DataClass(name) for name, columns in by_class.items() for column in columns.split()
    }


PERSONAL_COLUMNS: dict[str, dict[str, DataClass]] = {
    "analytics_facts": _classes(
        evaluation="figure step dimension occurred_on value reason_key reason_params"
    ),
    "analytics_stale": _classes(basic="figure since"),
    "api_keys": {},
    "approval_assignments": _classes(basic="step round status", evaluation="comment"),
    "approval_dingtalk_instances": _classes(basic="status outcome decided_by"),
    "approvals": _classes(basic="kind title status resolved current_step round fallback facts"),
    "audit_events": _classes(basic="actor_kind action object_type", sensitive="before after"),
    "automated_evaluation_objections": _classes(
        basic="kind status", evaluation="evaluation_id snapshot message reason"
    ),
    "channel_deliveries": _classes(basic="content recipients card status"),
    "check_in_action_items": _classes(basic="title due_on"),
    "check_in_private_notes": _classes(evaluation="text"),
    "check_ins": _classes(basic="status", evaluation="agenda shared_notes"),
    "competency_current_scores": _classes(evaluation="competency_ids scores"),
    "competency_evidence": _classes(evaluation="value source_kind source_weight note"),
    "competency_profiles": _classes(evaluation="figures scores"),
    "competency_roster": _classes(basic="active"),
    "consent_texts": _classes(basic="purpose text_version title_zh title_en body_zh body_en"),
    "consents": _classes(basic="purpose"),
    "contract_amendment_versions": _classes(
        basic="number effective_date end_date document_status",
        sensitive="changes terms base_terms note",
    ),
    "contract_amendments": _classes(basic="source status withdrawal_reason"),
    "contract_expiry_alerts": _classes(basic="end_date"),
    "contracts": _classes(
        basic="kind status start_date end_date grade work_location",
        sensitive="allowance pay_terms_ref",
    ),
    "data_exports": _classes(basic="locale status sections error"),
    "development_plan_comments": _classes(evaluation="body"),
    "development_plan_versions": _classes(evaluation="title goals actions"),
    "development_plans": _classes(basic="period status", evaluation="title goals actions"),
    "dingtalk_events": _classes(contact="payload"),
    "employees": _classes(
        basic="employee_number full_name manager_path hire_date status dingtalk_user_id",
        contact="email phone personal_phone",
        sensitive="id_number",
    ),
    "employment_events": _classes(
        basic="kind effective_date end_date title leads_team note withdrawal_reason",
        evaluation="exit_reason exit_reason_note",
        sensitive="allowance pay_terms_ref",
    ),
    "feedback": _classes(basic="kind visibility", evaluation="text indicator"),
    "files": _classes(basic="file_name"),
    "goal_key_result_check_ins": _classes(evaluation="value note"),
    "goal_key_results": _classes(evaluation="title unit start target weight indicator"),
    "goals": _classes(basic="level period status", evaluation="title description"),
    "growth_profiles": _classes(
        basic="skills certifications external_trainings", evaluation="career_plan"
    ),
    "idempotency_keys": _classes(sensitive="body"),
    "imports": _classes(sensitive="content errors"),
    "incentive_evaluations": _classes(basic="period status", sensitive="incentives"),
    "incentives": _classes(
        basic="period kind status", evaluation="eligible reasons", sensitive="amount"
    ),
    "legal_holds": _classes(sensitive="reason case_reference"),
    "mentor_applications": _classes(
        basic="source status", evaluation="eligible checks motivation decision_reason overridden"
    ),
    "mentor_effectiveness": _classes(evaluation="score pairings parts"),
    "mentor_requests": _classes(basic="note status", evaluation="suggestions decision_reason"),
    "mentoring_periodic_surveys": _classes(basic="period"),
    "mentoring_sessions": _classes(
        basic="kind held_on checklist_covered", evaluation="notes score"
    ),
    "mentoring_survey_requests": {},
    "mentoring_surveys": _classes(evaluation="on_time relevant solved comment"),
    "mentors": _classes(evaluation="flag_checks"),
    "mentorship_effectiveness": _classes(
        evaluation="completed rating_before rating_latest performance_gain skill_first"
        " skill_last skill_gain goals_total goals_reached goals promoted high_performer"
    ),
    "mentorship_plans": _classes(
        basic="template_revision status schedule", evaluation="goals checklist decision_comment"
    ),
    "mentorships": _classes(
        basic="status starts_on ends_on", evaluation="checks override_reason end_reason"
    ),
    "metric_observations": _classes(evaluation="indicator value source revision"),
    "nine_box_placements": _classes(evaluation="performance potential reason"),
    "notifications": _classes(basic="kind title body subject_type"),
    "performance_alerts": _classes(
        evaluation="indicator indicator_name unit direction period starts_on value average"
        " series window_size threshold decline"
    ),
    "performance_diagnoses": _classes(
        evaluation="indicator indicator_name streak_from streak_to periods status bundle"
        " root_cause_category root_cause action_plan"
    ),
    "performance_period_results": _classes(
        evaluation="period overall calibrated calibration_reason original_letter letter score"
    ),
    "performance_ratings": _classes(evaluation="period letter score comment"),
    "performance_scores": _classes(
        evaluation="period starts_on scheme_revision overall indicators"
    ),
    "performance_stale_scores": _classes(evaluation="month since"),
    "performance_team_members": _classes(basic="departments"),
    "points_balances": _classes(evaluation="participation outcome sharing total"),
    "points_ledger": _classes(evaluation="category points source_type reason"),
    "position_description_comments": _classes(basic="body"),
    "position_description_drafts": _classes(basic="author_side content status"),
    "privacy_requests": _classes(basic="kind status due_on", sensitive="message resolution"),
    "program_dossier_documents": _classes(basic="audience status", evaluation="content"),
    "program_participant_stages": _classes(
        basic="position key kind name config starts_on due_on status on_time",
        evaluation="decision stretch_problem",
    ),
    "program_participants": _classes(
        basic="status current_position", evaluation="outcome ended_reason"
    ),
    "program_stage_tasks": _classes(basic="done"),
    "read_access_events": _classes(basic="actor_kind data_class what operation purpose masked"),
    "refresh_tokens": _classes(basic="method"),
    "review_appeals": _classes(
        basic="indicator_key status",
        evaluation="comment reason reply resolution original_score new_score",
    ),
    "review_assignments": _classes(
        basic="relationship status", evaluation="answers comment evidence"
    ),
    "review_nominations": _classes(basic="status"),
    "review_participants": {},
    "review_results": _classes(
        basic="status",
        evaluation="overall scores comments adjusted_overall adjustments hidden_comments"
        " recommendation recommendation_reason",
    ),
    "rotation_legs": _classes(
        basic="sequence post_title start_date end_date withdrawal_reason",
        evaluation="ratings rating_note",
        sensitive="allowance",
    ),
    "rotation_plans": _classes(basic="title status"),
    "stretch_assignees": _classes(basic="status task_ids"),
    "stretch_outcomes": _classes(evaluation="figures competencies note recorded_times"),
    "talent_member_changes": _classes(
        basic="kind status source", evaluation="readiness performance potential reason"
    ),
    "talent_pool_members": _classes(
        basic="status source", evaluation="readiness reason ended_reason decision_reason"
    ),
    "task_actions": _classes(basic="kind window recipients"),
    "task_todos": _classes(basic="wanted synced status dingtalk_user_id union_id"),
    "tasks": _classes(
        basic="subject_type kind title status on_time confidential handled_until",
        evaluation="submission",
    ),
    "training_action_plans": _classes(
        basic="status",
        evaluation="content hr_score manager_score score adoption_note outcome",
    ),
    "training_enrolments": _classes(
        basic="status source late check_in_method completed_modules progress_percent",
        evaluation="exam_score",
    ),
    "training_exam_attempts": _classes(
        basic="number", evaluation="questions pass_mark answers score passed"
    ),
    "spreadsheet_exports": _classes(basic="kind filters format locale status error"),
    "training_sessions": _classes(sensitive="instructor_allowance"),
    "training_xapi_statements": _classes(basic="verb"),
    "users": _classes(
        basic="display_name roles is_active locale", contact="email", sensitive="password_hash"
    ),
    "vacancies": _classes(
        basic="status reason note cancel_reason pending_appointment competition_rules"
    ),
    "vacancy_applications": _classes(basic="status closed_reason", evaluation="statement criteria"),
    "vacancy_appointments": _classes(
        basic="effective_date", evaluation="reason override_reason ranking"
    ),
    "talent_review_moves": _classes(
        evaluation="from_performance from_potential to_performance to_potential reason"
    ),
    "talent_review_placements": _classes(
        evaluation="proposed_performance proposed_potential performance potential"
    ),
    "talent_review_reports": _classes(evaluation="content"),
    "talent_review_sessions": {},
    "webhook_deliveries": _classes(basic="payload"),
    "webhook_subscriptions": {},
    "work_results": _classes(
        evaluation="title description indicator value status reason",
    ),
}
"""Every personal column of every table holding personal data, by class: one registry
(docs/privacy.md, "Data classes and minimum necessary"). Columns not listed are either
structural (`is_structural`) or describe a thing, not a person (`NOT_PERSONAL`);
`tests/privacy/test_classes.py` fails on any other."""

NOT_PERSONAL: dict[str, frozenset[str]] = {
    table: frozenset(columns.split())
    for table, columns in {
        "analytics_facts": "subject_type refreshed_at",
        "api_keys": "name prefix token_hash scopes department_ids",
        "approval_dingtalk_instances": "process_code instance_id last_error",
        "audit_events": "request_id seq hash",
        "data_exports": "json_key pdf_key json_size pdf_size",
        "read_access_events": "request_id",
        "goal_key_results": "position",
        "metric_observations": "external_id",
        "approvals": "chain_revision steps",
        "channel_deliveries": "attempts last_error",
        "contract_amendment_versions": "document_error document_key document_sha256 document_size",
        "contract_amendments": "current_version confirmed_version confirmed_sha256",
        "development_plans": "model_version",
        "dingtalk_events": "dedup_key event_type status error",
        "files": "content_type size sha256 storage_key subject_type",
        "idempotency_keys": "caller key request_hash status_code headers",
        "imports": "kind filename file_format status total_rows processed_rows created_rows",
        "notifications": "dedupe_key",
        "program_dossier_documents": "fingerprint error storage_key sha256 size attempts",
        "refresh_tokens": "token_hash",
        "talent_review_reports": "locale revision status error storage_key sha256 size attempts",
        "talent_review_sessions": "name status revision",
        "task_todos": "todo_id attempts last_error",
        "tasks": "submission_required submission_rule completion_params policy schedule",
        "spreadsheet_exports": "file_key size rows",
        "training_sessions": "place capacity late_grace_minutes status",
        "users": "must_change_password token_version",
        "webhook_deliveries": "event_type last_status_code status attempts last_error",
        "webhook_subscriptions": "url description event_types secret active consecutive_failures",
    }.items()
}
"""Columns of personal tables that describe a thing (a key, a file, a delivery), not a person."""


def is_structural(column: Column[Any]) -> bool:
    """Ids, references and bookkeeping, classed in bulk as `basic`: primary keys, any UUID
    (an id, with or without a foreign key: `created_by`), any foreign key, `org_id`,
    `version`, and timestamps named `*_at`."""
    return (
        column.primary_key
        or bool(column.foreign_keys)
        or column.name in ("org_id", "version")
        or isinstance(column.type, Uuid)
        or (isinstance(column.type, DateTime) and column.name.endswith("_at"))
    )


def data_class(column: Column[Any]) -> DataClass | None:
    """The class of a column of `domains.metadata`; None for a column describing no person
    (or a table without personal data)."""
    classes = PERSONAL_COLUMNS.get(column.table.name)
    if classes is None:
        return None
    found = classes.get(column.name)
    if found is not None:
        return found
    return DataClass.BASIC if is_structural(column) else None


def personal_tables(metadata: MetaData) -> set[str]:
    """The tables holding personal data: people, what refers to a person (an `employee_id`,
    a foreign key to people or to another personal table) and `PERSONAL_WITHOUT_REFERENCE`."""
    found = set(PERSON_TABLES | PERSONAL_WITHOUT_REFERENCE) & set(metadata.tables)
    grown = True
    while grown:
        grown = False
        for table in metadata.tables.values():
            if table.name not in found and any(
                column.name.endswith("employee_id")
                or any(key.column.table.name in found for key in column.foreign_keys)
                for column in table.columns
            ):
                found.add(table.name)
                grown = True
    return found


def unclassified_columns(metadata: MetaData) -> list[str]:
    """`table.column` of every column of a personal table that has no class, is not
    structural and is not declared describing no person: what a new column must be given."""
    missing = []
    for name in sorted(personal_tables(metadata)):
        classes = PERSONAL_COLUMNS.get(name, {})
        technical = NOT_PERSONAL.get(name, frozenset())
        for column in metadata.tables[name].columns:
            if not (column.name in classes or column.name in technical or is_structural(column)):
                missing.append(f"{name}.{column.name}")
    return missing
