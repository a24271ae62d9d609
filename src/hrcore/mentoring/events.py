"""The domain events mentoring's slices emit and listen to (`core.events`): payloads carry
ids only (`mentorship_id`, and `session_id` for a session), the listener re-reads the rest.

- `PLAN_APPROVED`: a pairing's plan was approved (again, after an edit): its schedule is
  (re)planned as tasks.
- `SESSION_LOGGED`: a 1:1, skill test or progress report was logged: the mentee is asked
  for a survey, effectiveness is recomputed.
- `MENTORSHIP_ENDED`: a pairing was completed or cancelled: effectiveness is recomputed.

Workflow tasks of a pairing have the subject type `SUBJECT_TYPE` and the mentorship's id."""

PLAN_APPROVED = "mentorship.plan_approved"
SESSION_LOGGED = "mentoring_session.logged"
MENTORSHIP_ENDED = "mentorship.ended"
SUBJECT_TYPE = "mentorship"
