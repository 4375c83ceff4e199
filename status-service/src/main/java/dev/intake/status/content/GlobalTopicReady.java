package dev.intake.status.content;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

import org.springframework.context.SmartLifecycle;

/**
 * Holds the start of Kafka Streams until the topic of the global store has partitions the broker
 * reports. Kafka Streams refuses to start a global store on a topic without partitions, and a
 * topic created moments before (by this instance's own start-up, on a fresh cluster) can take a
 * moment to be visible. Started one phase before the Streams factory bean (the phase it is given).
 */
final class GlobalTopicReady implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(GlobalTopicReady.class);

	private final Admin admin;

	private final String topic;

	private final Duration timeout;

	private final int phase;

	private volatile boolean running;

	GlobalTopicReady(Admin admin, String topic, Duration timeout, int phase) {
		this.admin = admin;
		this.topic = topic;
		this.timeout = timeout;
		this.phase = phase;
	}

	@Override
	public void start() {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			try {
				TopicDescription described = admin.describeTopics(List.of(topic))
					.allTopicNames()
					.get(5, TimeUnit.SECONDS)
					.get(topic);
				if (described != null && !described.partitions().isEmpty()) {
					running = true;
					return;
				}
			}
			catch (ExecutionException | TimeoutException ex) {
				logger.debug("Topic " + topic + " is not visible yet: " + ex.getMessage());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for topic " + topic, ex);
			}
			if (System.nanoTime() > deadline) {
				// Streams then says why it cannot start
				logger.warn("Topic " + topic + " has no partitions after " + timeout + "; starting anyway");
				running = true;
				return;
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for topic " + topic, ex);
			}
		}
	}

	@Override
	public void stop() {
		running = false;
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return phase;
	}

}
