"""The exhibitions service: one import for views and the API (the logic lives in the modules).

Every function takes the database session, the acting ``User`` and plain arguments, and
raises the domain errors of ``matchmaker.errors``.
"""

from .access import get_exhibition, is_organizer
from .agenda import (
    choose_session,
    chosen_session_ids,
    create_session,
    delete_session,
    get_session,
    list_sessions,
    unchoose_session,
    update_session,
)
from .availability import busy_slot_ids, set_unavailability
from .booths import (
    book_booth,
    create_booth,
    delete_booth,
    get_booth,
    list_booths,
    release_booth,
    update_booth,
)
from .calendar import agenda_ics, programme_ics
from .fairs import (
    add_organizer,
    create_exhibition,
    exhibition_tables,
    list_exhibitions,
    list_slots,
    organizers,
    remove_organizer,
    set_status,
    update_exhibition,
)
from .feeds import feed_for, organization_for_feed, rotate_feed
from .floorplan import floor_plan_svg
from .meetings import (
    accept_meeting,
    cancel_meeting,
    decline_meeting,
    get_meeting,
    list_meetings,
    mark_meeting,
    propose_slot,
    request_meeting,
    update_meeting,
)
from .people import people_to_meet
from .registrations import (
    Participant,
    decide_registration,
    list_registrations,
    participants,
    register,
    registration_for,
)
from .slots import compute_slots
from .times import local

__all__ = [
    "Participant",
    "accept_meeting",
    "add_organizer",
    "agenda_ics",
    "book_booth",
    "busy_slot_ids",
    "cancel_meeting",
    "choose_session",
    "chosen_session_ids",
    "compute_slots",
    "create_booth",
    "create_exhibition",
    "create_session",
    "decide_registration",
    "decline_meeting",
    "delete_booth",
    "delete_session",
    "exhibition_tables",
    "feed_for",
    "floor_plan_svg",
    "get_booth",
    "get_exhibition",
    "get_meeting",
    "get_session",
    "is_organizer",
    "list_booths",
    "list_exhibitions",
    "list_meetings",
    "list_registrations",
    "list_sessions",
    "list_slots",
    "local",
    "mark_meeting",
    "organization_for_feed",
    "organizers",
    "participants",
    "people_to_meet",
    "programme_ics",
    "propose_slot",
    "register",
    "registration_for",
    "release_booth",
    "remove_organizer",
    "request_meeting",
    "rotate_feed",
    "set_status",
    "set_unavailability",
    "unchoose_session",
    "update_booth",
    "update_exhibition",
    "update_meeting",
    "update_session",
]
