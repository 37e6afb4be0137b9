"""Trade fairs: agendas, booths, registrations, meeting slots, meetings and calendars."""
