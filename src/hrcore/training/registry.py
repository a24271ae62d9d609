"""What training plugs into the processes (core.registry): its tables, routes and the
profile sections it answers for people."""

from hrcore.core.registry import Domain
from hrcore.people import api as people
from hrcore.training import models, reports_profile
from hrcore.training.router import router

DOMAIN = Domain(
    name="training",
    models=[models],
    router=router,
    providers=[
        people.TrainingsProvider(reports_profile.profile_trainings),
        people.PointsProvider(reports_profile.profile_points),
    ],
)
