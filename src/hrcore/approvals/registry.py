"""What approvals plug into the processes (core.registry): its tables, its routes and the
decision task kind, completed by deciding the approval, never on its own; DingTalk approvals
(starting the instance, applying its callbacks, terminating it when withdrawn in hrcore);
the kind `org.position_description` and the hook org asks for it (org sits below). The inbox
names an approval by its title, about its subject employee."""

from hrcore.approvals import (
    dingtalk,
    dingtalk_fallback,
    dingtalk_models,
    dingtalk_start,
    dingtalk_starting,
    dingtalk_stop,
    kinds,
    models,
    org_descriptions,
    running,
)
from hrcore.approvals.router import router
from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain
from hrcore.integrations import api as integrations
from hrcore.notifications import api as notifications
from hrcore.workflow import api as workflow

_APPROVAL_NAMES = (
    "SELECT id, title, subject_employee_id FROM approvals WHERE org_id = {org} AND id = ANY({ids})"
)

DOMAIN = Domain(
    name="approvals",
    models=[models, dingtalk_models],
    router=router,
    jobs=[
        JobSpec(
            dingtalk_start.START_JOB,
            dingtalk_starting.start,
            max_tries=dingtalk_start.MAX_TRIES,
        ),
        JobSpec(
            dingtalk_stop.TERMINATE_JOB, dingtalk_stop.terminate, max_tries=dingtalk_stop.MAX_TRIES
        ),
    ],
    task_hooks=[
        workflow.TaskKindSpec(running.TASK_KIND, completed_by=running.DECIDED_BY, submission=None),
        workflow.SubmissionCheck(running.TASK_KIND, running.decided_only),
        integrations.DingTalkEventHook(dingtalk.EVENT, dingtalk.on_instance_change),
        integrations.ApprovalKinds(kinds.declared),
        org_descriptions.SPEC,
    ],
    providers=[
        notifications.SubjectNames(dingtalk_fallback.SUBJECT, _APPROVAL_NAMES),
        org_descriptions.PROVIDER,
    ],
)
