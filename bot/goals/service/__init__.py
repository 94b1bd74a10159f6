"""Goal use cases: setting a goal, moving it forward, changing its status, opening modals."""
