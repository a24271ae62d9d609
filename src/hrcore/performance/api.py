"""What other domains may call of performance. Nothing yet: period ratings for screening
and reviews come with period close (issue #22, later slices)."""
