"""Notifications in the site and by e-mail, through an outbox the sender delivers."""
