"""Points-based training 「积分制培训」: needs, courses, sessions and check-in, action plans, the
points ledger, leaderboards, incentives and reports (docs/training.md)."""
