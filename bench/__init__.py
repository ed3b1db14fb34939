"""Load generation, the reference views, the benchmark driver and the fault drills."""
