package dev.intake.api.publish;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.IngestImage;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Stands in for Kafka in HTTP tests: records what would have been published, or fails on request. */
public class RecordingBatchPublisher implements BatchPublisher {

	private final List<Published> published = new CopyOnWriteArrayList<>();

	private volatile RuntimeException failure;

	@Override
	public Mono<Void> publish(BatchSubmitted batch, List<IngestImage> jobs) {
		return Mono.defer(() -> {
			if (failure != null) {
				return Mono.error(failure);
			}
			published.add(new Published(batch, List.copyOf(jobs)));
			return Mono.empty();
		});
	}

	public List<Published> published() {
		return List.copyOf(published);
	}

	public void failWith(RuntimeException failure) {
		this.failure = failure;
	}

	public void reset() {
		published.clear();
		failure = null;
	}

	/** One transaction's worth: a batch and its jobs. */
	public record Published(BatchSubmitted batch, List<IngestImage> jobs) {
	}

	@TestConfiguration(proxyBeanMethods = false)
	public static class Configuration {

		@Bean
		@Primary
		RecordingBatchPublisher recordingBatchPublisher() {
			return new RecordingBatchPublisher();
		}

	}

}
