"""The programme's use cases: imports, the matching pool and rounds, cohorts, the pairs at risk."""
