"""Trade-fair pages (views_organizer)."""
