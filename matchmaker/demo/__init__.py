"""Demo data: believable organizations, interactions and users for a fresh install."""
