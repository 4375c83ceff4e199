package dev.intake.platform.kafka;

import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.core.KafkaAdmin;

/** Readiness: the Kafka cluster answers a describe-cluster within a few seconds. */
class KafkaHealthIndicator extends AbstractHealthIndicator {

	private final KafkaAdmin admin;

	KafkaHealthIndicator(KafkaAdmin admin) {
		super("Kafka cluster check failed");
		this.admin = admin;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		try (AdminClient client = AdminClient.create(admin.getConfigurationProperties())) {
			var cluster = client.describeCluster(new DescribeClusterOptions().timeoutMs(3000));
			int nodes = cluster.nodes().get(4, TimeUnit.SECONDS).size();
			builder.up().withDetail("clusterId", cluster.clusterId().get(4, TimeUnit.SECONDS)).withDetail("nodes", nodes);
		}
	}

}
