package dev.intake.api.submission;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * What one request staged: every key it wrote and every upload still settling, so that a rejected
 * request can delete all of it once its uploads have settled. One per request, shared by the
 * multipart, ZIP and JSON readers.
 */
final class StagedObjects {

	private static final Duration CLEANUP_WAIT = Duration.ofMinutes(1);

	private final StagingArea staging;

	private final List<String> keys = new CopyOnWriteArrayList<>();

	private final List<CompletableFuture<?>> uploads = new CopyOnWriteArrayList<>();

	StagedObjects(StagingArea staging) {
		this.staging = staging;
	}

	/** Stages one object (see {@link StagingArea#stage}) and remembers it for {@link #discard()}. */
	Mono<StagingArea.Staged> stage(String key, String contentType, Flux<DataBuffer> content, long limit) {
		keys.add(key);
		return staging.stage(key, contentType, content, limit, uploads::add);
	}

	/** Deletes whatever was staged, once its uploads have settled. Best effort. */
	Mono<Void> discard() {
		CompletableFuture<?> settled = CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new));
		return Mono.fromFuture(settled, true)
			.timeout(CLEANUP_WAIT)
			.onErrorResume(ex -> Mono.empty())
			.then(Mono.defer(() -> staging.deleteAll(List.copyOf(keys))));
	}

}
