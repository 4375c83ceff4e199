package dev.intake.api.retry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.intake.contracts.BatchRetried;
import dev.intake.contracts.IngestImage;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Stands in for Kafka in HTTP tests: records the retry rounds that would have been published, or fails on request. */
public class RecordingRetryPublisher implements RetryPublisher {

	private final List<Published> published = new CopyOnWriteArrayList<>();

	private volatile RuntimeException failure;

	@Override
	public Mono<Void> publish(BatchRetried round, List<IngestImage> jobs) {
		return Mono.defer(() -> {
			if (failure != null) {
				return Mono.error(failure);
			}
			published.add(new Published(round, List.copyOf(jobs)));
			return Mono.empty();
		});
	}

	List<Published> published() {
		return List.copyOf(published);
	}

	void failWith(RuntimeException failure) {
		this.failure = failure;
	}

	void reset() {
		published.clear();
		failure = null;
	}

	/** One transaction's worth: a round and its jobs. */
	record Published(BatchRetried round, List<IngestImage> jobs) {
	}

	@TestConfiguration(proxyBeanMethods = false)
	public static class Configuration {

		@Bean
		@Primary
		RecordingRetryPublisher recordingRetryPublisher() {
			return new RecordingRetryPublisher();
		}

	}

}
