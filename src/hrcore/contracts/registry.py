"""What contracts plugs into the processes (core.registry): amendments drafted from
people's employment events (withdrawn or redrafted when a temporary post is withdrawn or ends
early), conflicts with programs' runs, the daily expiry watch, the
hourly job applying confirmed amendments on their effective date, and the contracts section
of people's profile."""

from hrcore.contracts import (
    api,
    confirmation,
    conflicts,
    drafting,
    expiry,
    generation,
    jobs,
    models,
    personal_data,
    post_changes,
    terms,
)
from hrcore.contracts.router import router
from hrcore.core.jobs import JobSpec
from hrcore.core.personal_data import PersonalDataSection
from hrcore.core.registry import Cron, Domain, Subscription
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.programs import api as programs
from hrcore.workflow import api as workflow

_CONTRACT_NAMES = (
    "SELECT id, NULL, employee_id FROM contracts WHERE org_id = {org} AND id = ANY({ids})"
)
_AMENDMENT_NAMES = (
    "SELECT id, NULL, employee_id FROM contract_amendments WHERE org_id = {org} AND id = ANY({ids})"
)
"""The inbox names a contract or an amendment after its employee (a null name)."""

DOMAIN = Domain(
    name="contracts",
    models=[models],
    router=router,
    jobs=[
        JobSpec(drafting.DRAFT_JOB, jobs.draft_amendment),
        JobSpec(generation.GENERATE_JOB, jobs.generate_document),
        JobSpec(conflicts.CONFLICT_JOB, jobs.check_program_conflicts),
        JobSpec(conflicts.CONFLICT_DROP_JOB, jobs.drop_program_conflicts),
        JobSpec(post_changes.WITHDRAW_JOB, jobs.withdraw_amendments),
        JobSpec(post_changes.EARLY_END_JOB, jobs.redraft_for_early_end),
    ],
    crons=[
        # Daily at 01:13 UTC (09:13 in Asia/Shanghai): contracts entering the notice window.
        Cron("contracts.watch_expiry", jobs.watch_expiry, hour={1}, minute={13}),
        # Hourly: confirmed amendments whose effective date has come reach their contracts.
        Cron("contracts.apply_due_amendments", jobs.apply_due_amendments, minute={4}),
    ],
    subscriptions=[
        Subscription(people.EMPLOYMENT_EVENT_RECORDED, drafting.DRAFT_JOB),
        Subscription(people.EMPLOYMENT_EVENT_WITHDRAWN, post_changes.WITHDRAW_JOB),
        Subscription(people.EMPLOYMENT_EVENT_ENDED_EARLY, post_changes.EARLY_END_JOB),
        Subscription(programs.RUN_STARTED, conflicts.CONFLICT_JOB),
        Subscription(programs.PARTICIPANT_WITHDRAWN, conflicts.CONFLICT_DROP_JOB),
        Subscription(programs.PARTICIPANT_GRADUATED, conflicts.CONFLICT_DROP_JOB),
    ],
    task_hooks=[
        workflow.TaskKindSpec(
            confirmation.CONFIRM_TASK_KIND,
            completed_by=workflow.Operation(
                "confirm_amendment",
                "POST",
                "/amendments/{amendment_id}/confirm",
                subject_param="amendment_id",
            ),
            submission=None,
        ),
        # HR settles a conflict or an expiring contract and ticks the task off.
        workflow.TaskKindSpec(conflicts.CONFLICT_TASK_KIND),
        workflow.TaskKindSpec(expiry.EXPIRY_TASK_KIND),
        workflow.TaskKindSpec(post_changes.WITHDRAWAL_TASK_KIND),
        workflow.SubmissionCheck(confirmation.CONFIRM_TASK_KIND, confirmation.confirmed_only),
    ],
    providers=[
        people.ContractsProvider(api.profile_contracts),
        notifications.SubjectNames(terms.CONTRACT_SUBJECT, _CONTRACT_NAMES),
        notifications.SubjectNames(terms.AMENDMENT_SUBJECT, _AMENDMENT_NAMES),
        PersonalDataSection("contract_amendments", personal_data.contract_amendments),
    ],
)
