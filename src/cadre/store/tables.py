"""Import every part's table module so the metadata is complete (for migrations and tests)."""

import cadre.access.tables
import cadre.agents.rollout_store
import cadre.agents.store
import cadre.channels.tables
import cadre.data.store
import cadre.evaluation.store
import cadre.knowledge.store
import cadre.observability.alert_tables
import cadre.observability.tables
import cadre.portfolio.tables
import cadre.sales.tables
import cadre.server.shared_limits  # noqa: F401
