package dev.intake.api.publish;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

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

	private final AtomicLong assetIds = new AtomicLong();

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

	/** Issues asset ids from 1 on, as the ids topic's offsets would. */
	@Override
	public Mono<Publication> publishWithNewAsset(String tenant, LongFunction<Publication> batchFor) {
		return Mono.defer(() -> {
			if (failure != null) {
				return Mono.error(failure);
			}
			Publication made = batchFor.apply(assetIds.incrementAndGet());
			published.add(new Published(made.batch(), made.jobs()));
			return Mono.just(made);
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
