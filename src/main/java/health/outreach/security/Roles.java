package health.outreach.security;

/** Role sets for {@code @Secured}; constants so annotations can use them. */
public final class Roles {

    public static final String ADMIN = "ADMIN";
    public static final String COORDINATOR = "COORDINATOR";
    public static final String MANAGER = "MANAGER";

    private Roles() {
    }
}
