"""Import every part's table module so the metadata is complete (for migrations and tests)."""

import cadre.data.store  # noqa: F401
