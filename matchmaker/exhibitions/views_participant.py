"""Trade-fair pages (views_participant)."""
