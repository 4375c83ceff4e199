package dev.intake.platform.kafka;

import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaHealthIndicatorTest {

	private EmbeddedKafkaKraftBroker kafka;

	private KafkaHealthIndicator indicator;

	@AfterEach
	void stop() {
		if (indicator != null) {
			indicator.destroy();
		}
		if (kafka != null) {
			kafka.destroy();
		}
	}

	@Test
	void isUpWhileTheBrokerAnswersAndDownSoonAfterItStops() {
		kafka = new EmbeddedKafkaKraftBroker(1, 1);
		kafka.afterPropertiesSet();
		indicator = new KafkaHealthIndicator(new KafkaAdmin(
				Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString())));

		var first = indicator.health(true);
		var second = indicator.health(true);
		assertThat(first.getStatus()).isEqualTo(Status.UP);
		assertThat(second.getStatus()).as("the kept client answers the next check").isEqualTo(Status.UP);
		assertThat(second.getDetails()).containsEntry("nodes", 1).containsKey("clusterId");

		kafka.destroy();
		kafka = null;
		long started = System.nanoTime();
		var down = indicator.health(true);
		long tookMillis = (System.nanoTime() - started) / 1_000_000;
		assertThat(down.getStatus()).isEqualTo(Status.DOWN);
		assertThat(tookMillis).as("a check waits for its timeout at most").isLessThan(10_000);
		assertThat(indicator.health(true).getStatus()).as("the check after a failure starts afresh")
			.isEqualTo(Status.DOWN);
	}

}
