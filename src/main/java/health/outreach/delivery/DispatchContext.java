package health.outreach.delivery;

import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.time.Clock;

/** What a lane's threads share with the rest of the node's dispatcher. */
record DispatchContext(DispatchSettings settings, NodeHeartbeat heartbeat, Committer committer, Outbox outbox,
                       ClaimChecks checks, Sender sender, TransactionOperations<Connection> transactions, Clock clock) {
}
