"""Hero agents' shipped actions, specs and suites on the sample company."""
