"""The simulation engine: a scenario compiled to a plan, arrivals drawn, events run on SimPy."""
