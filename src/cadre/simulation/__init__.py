"""A simulated day of customer traffic through the real runtime: the demo's conversations, hand-offs and ratings."""

from cadre.simulation.cast import Cast, CastUnavailable, load_cast
from cadre.simulation.day import DEFAULT_CONVERSATIONS, simulate_day
from cadre.simulation.models import LANGUAGES, Message, Rating, TrafficSummary, Visit
from cadre.simulation.plan import plan_day

__all__ = [
    "DEFAULT_CONVERSATIONS",
    "LANGUAGES",
    "Cast",
    "CastUnavailable",
    "Message",
    "Rating",
    "TrafficSummary",
    "Visit",
    "load_cast",
    "plan_day",
    "simulate_day",
]
