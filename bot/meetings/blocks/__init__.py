"""Block Kit for meetings: messages (rhythm, reminders, "did you meet?", notices) and modals."""
