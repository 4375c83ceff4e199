package dev.intake.platform.kafka;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Readiness: the Kafka cluster answers a describe-cluster within a few seconds.
 *
 * <p>
 * One admin client serves every check and is kept between them. A client per check would open
 * new connections and log its whole configuration each time, every few seconds per replica under
 * a container health check. A check that fails closes the client, so the next one starts afresh.
 */
class KafkaHealthIndicator extends AbstractHealthIndicator implements DisposableBean {

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	private final KafkaAdmin admin;

	private Admin client;

	KafkaHealthIndicator(KafkaAdmin admin) {
		super("Kafka cluster check failed");
		this.admin = admin;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		Admin client = client();
		try {
			var cluster = client.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()));
			long wait = TIMEOUT.toMillis() + 1000;
			int nodes = cluster.nodes().get(wait, TimeUnit.MILLISECONDS).size();
			builder.up()
				.withDetail("clusterId", cluster.clusterId().get(wait, TimeUnit.MILLISECONDS))
				.withDetail("nodes", nodes);
		}
		catch (Exception ex) {
			discard(client);
			throw ex;
		}
	}

	private synchronized Admin client() {
		if (client == null) {
			client = Admin.create(admin.getConfigurationProperties());
		}
		return client;
	}

	private synchronized void discard(Admin failed) {
		if (client == failed) {
			client = null;
		}
		failed.close(Duration.ZERO);
	}

	@Override
	public synchronized void destroy() {
		if (client != null) {
			client.close(Duration.ZERO);
			client = null;
		}
	}

}
