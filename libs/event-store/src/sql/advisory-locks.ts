// Two-key advisory locks (pg_advisory_xact_lock(int, int)) have a key space of their own, apart
// from single-key locks; the first key says which of this library's uses a lock belongs to, so they
// cannot collide with each other or with small numbers other code may pick.

/** Held while migrating: every service opens the store on boot, possibly at the same moment. */
export const MIGRATION_LOCK_CLASS = 0x43544f00; // "CTO\0"
/**
 * Held while appending to a stream; the second key is hashtext(stream id). Taken inside the database
 * function events_append (migration 8), which was created with this value: changing it here alone
 * would change nothing.
 */
export const STREAM_LOCK_CLASS = 0x43544f01;
