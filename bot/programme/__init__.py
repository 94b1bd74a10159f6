"""The programme: bringing pairs in at scale (CSV imports, matching rounds), cohorts, and
watching over the pairs at risk."""
