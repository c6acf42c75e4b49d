package health.outreach.security;

/** What a signed-in user may do: MANAGER reads, COORDINATOR also edits, ADMIN also manages users. */
public enum Role {
    ADMIN, COORDINATOR, MANAGER
}
