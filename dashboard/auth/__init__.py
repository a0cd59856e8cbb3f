"""Who may open what: roles, sessions, sign-in, the gate every request passes, the audit page."""
