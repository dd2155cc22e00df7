"""Agents: versioned YAML specs, actions, and the runtime that executes a turn."""
