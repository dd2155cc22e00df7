"""Observability: turn and business events, traces, the dashboard's figures, alerts and incidents."""
