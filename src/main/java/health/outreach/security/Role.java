package health.outreach.security;

/** What a signed-in user may do: MANAGER reads, COORDINATOR also edits, ADMIN also manages users. */
public enum Role {
    ADMIN, COORDINATOR, MANAGER;

    /**
     * Whether exports may name people. Coordinators and administrators work with contacts (they edit
     * them and follow up bookings); a manager reads reports, for which an id is enough.
     */
    public boolean seesContactNames() {
        return this != MANAGER;
    }

    /** The role of a signed-in user's role name; MANAGER, the least, for anything else. */
    public static Role of(String name) {
        try {
            return valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            return MANAGER;
        }
    }
}
