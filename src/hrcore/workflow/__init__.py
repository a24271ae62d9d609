"""Workflow: tasks other domains assign, their reminders and escalations."""
