"""Demo data: synthetic extracts set in a real city's geography, to show and test with."""
