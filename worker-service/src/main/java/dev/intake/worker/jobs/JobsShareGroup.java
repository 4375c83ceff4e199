package dev.intake.worker.jobs;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The share group the workers consume {@code intake.jobs} in, as the broker knows it. At start-up
 * a worker sets the group's configuration (idempotent; every worker sets the same values) and
 * reads the broker's delivery limit, so it can tell a job's last delivery:
 * <ul>
 * <li>{@code share.record.lock.duration.ms}: the worker's {@code lock-duration};</li>
 * <li>{@code share.auto.offset.reset=earliest}: a new group processes the jobs published before it
 * first started;</li>
 * <li>{@code share.isolation.level=read_committed}: jobs of an aborted submit are never
 * delivered.</li>
 * </ul>
 *
 * @param name the group id
 * @param clusterId the id of the Kafka cluster (for the jobs' observations)
 * @param deliveryLimit the broker's {@code group.share.delivery.count.limit}: a job delivered this
 * many times is archived by the broker whatever its last consumer answers
 */
record JobsShareGroup(String name, String clusterId, int deliveryLimit) {

	static final String LOCK_DURATION = "share.record.lock.duration.ms";

	static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";

	static final String ISOLATION_LEVEL = "share.isolation.level";

	static final String DELIVERY_LIMIT = "group.share.delivery.count.limit";

	static final String MAX_LOCK_DURATION = "group.share.max.record.lock.duration.ms";

	private static final Log logger = LogFactory.getLog(JobsShareGroup.class);

	JobsShareGroup {
		if (deliveryLimit < 2) {
			throw new IllegalArgumentException("a share group delivers a record at least twice, not " + deliveryLimit);
		}
	}

	/** Whether {@code delivery} (1 for the first) is the last the broker allows. */
	boolean isLastDelivery(int delivery) {
		return delivery >= deliveryLimit;
	}

	/**
	 * Sets the group's configuration, waits until the broker reports it, and reads the delivery
	 * limit.
	 * @throws IllegalStateException if the broker refuses the settings (e.g. a lock longer than
	 * its {@value #MAX_LOCK_DURATION}) or does not answer within {@code timeout}
	 */
	static JobsShareGroup prepare(Admin admin, String group, Duration lockDuration, Duration timeout) {
		Map<String, String> wanted = Map.of(LOCK_DURATION, String.valueOf(lockDuration.toMillis()), AUTO_OFFSET_RESET,
				"earliest", ISOLATION_LEVEL, "read_committed");
		ConfigResource groupResource = new ConfigResource(ConfigResource.Type.GROUP, group);
		Collection<AlterConfigOp> ops = wanted.entrySet()
			.stream()
			.map(entry -> new AlterConfigOp(new ConfigEntry(entry.getKey(), entry.getValue()), AlterConfigOp.OpType.SET))
			.toList();
		long deadline = System.nanoTime() + timeout.toNanos();
		int limit;
		String clusterId;
		try {
			clusterId = admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			Node node = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).iterator().next();
			ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node.idString());
			Config brokerConfig = admin.describeConfigs(List.of(broker))
				.all()
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS)
				.get(broker);
			limit = Integer.parseInt(brokerConfig.get(DELIVERY_LIMIT).value());
			try {
				admin.incrementalAlterConfigs(Map.of(groupResource, ops)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException ex) {
				ConfigEntry max = brokerConfig.get(MAX_LOCK_DURATION);
				throw new IllegalStateException("The broker refused the jobs share group's settings " + wanted
						+ " (its " + MAX_LOCK_DURATION + " is " + ((max != null) ? max.value() : "unknown")
						+ "; intake.worker.jobs.lock-duration must not exceed it): " + ex.getCause().getMessage(), ex);
			}
			awaitApplied(admin, groupResource, wanted, deadline);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while preparing the jobs share group", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not prepare the jobs share group '" + group + "': " + ex, ex);
		}
		logger.info("Jobs share group '" + group + "': " + wanted + ", broker delivery limit " + limit);
		return new JobsShareGroup(group, clusterId, limit);
	}

	/**
	 * Group settings reach the brokers asynchronously; a consumer that joined before them would
	 * start the group at the latest offset and skip the jobs already waiting.
	 */
	private static void awaitApplied(Admin admin, ConfigResource group, Map<String, String> wanted, long deadline)
			throws InterruptedException, ExecutionException, TimeoutException {
		while (true) {
			Config config = admin.describeConfigs(List.of(group)).all().get(5, TimeUnit.SECONDS).get(group);
			boolean applied = wanted.entrySet().stream().allMatch(entry -> {
				ConfigEntry actual = config.get(entry.getKey());
				return actual != null && entry.getValue().equalsIgnoreCase(actual.value());
			});
			if (applied) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new TimeoutException("the broker did not report the group's settings " + wanted + " in time");
			}
			Thread.sleep(200);
		}
	}

}
