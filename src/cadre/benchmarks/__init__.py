"""External benchmarks that run Cadre's agents, actions and data layer against public task sets."""
