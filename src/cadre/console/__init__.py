"""The console: server-rendered pages for the people who run Cadre (agents, conversations, inbox, knowledge, data)."""

from cadre.console.app import mount

__all__ = ["mount"]
