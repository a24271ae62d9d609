"""What training plugs into the processes (core.registry): its tables and routes, the job
evaluating a period's incentives and the hourly cron queueing periods as they end."""

from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Cron, Domain
from hrcore.training import incentive_evaluation, incentive_jobs, incentive_models, models
from hrcore.training.router import router

DOMAIN = Domain(
    name="training",
    models=[models, incentive_models],
    router=router,
    jobs=[
        JobSpec(incentive_evaluation.EVALUATE_JOB, incentive_jobs.evaluate_incentives, max_tries=5),
    ],
    crons=[Cron(incentive_jobs.QUEUE_CRON, incentive_jobs.queue_evaluations, minute={11})],
)
