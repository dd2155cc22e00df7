"""The help-desk agent of the agent tests, reused to run suites through a real runtime."""

from tests.agents.conftest import _shared_kb, runtime, spec_file  # noqa: F401
