"""Use cases: load rows, call the domain, persist; one transaction each."""
