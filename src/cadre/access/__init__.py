"""Who may do what: API keys and console users, each holding one role."""
