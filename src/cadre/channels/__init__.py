"""Channels: where people reach the agents (web widget, Slack, e-mail, the API) and where humans answer them."""
