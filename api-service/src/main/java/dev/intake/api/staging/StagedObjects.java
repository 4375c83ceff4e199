package dev.intake.api.staging;


import dev.intake.api.error.ApiProblem;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * What one request staged: every key it wrote and every upload still settling, so that a rejected
 * request can delete all of it once its uploads have settled. One per request, shared by the
 * multipart, ZIP and JSON readers. Once discarding has begun no more objects are staged, so an
 * archive thread still expanding a cancelled request cannot leave an object behind.
 */
public final class StagedObjects {

	private static final Duration CLEANUP_WAIT = Duration.ofMinutes(1);

	private final StagingArea staging;

	private final List<String> keys = new CopyOnWriteArrayList<>();

	private final List<CompletableFuture<?>> settled = new CopyOnWriteArrayList<>();

	private final Queue<StagingArea.Read> background = new ConcurrentLinkedQueue<>();

	private boolean discarding;

	public StagedObjects(StagingArea staging) {
		this.staging = staging;
	}

	/**
	 * Stages one object (see {@link StagingArea#stage}) and remembers it for {@link #discard()}.
	 * Errors with a {@link CancellationException} once the request is being discarded.
	 */
	public Mono<StagingArea.Staged> stage(String key, String contentType, Flux<DataBuffer> content, long limit) {
		return read(key, contentType, content, limit).flatMap(StagingArea.Read::settled);
	}

	/**
	 * Stages one object, emitting once its content has been read (see {@link StagingArea#read}),
	 * and remembers it for {@link #discard()} and {@link #stored()}. Errors with a
	 * {@link CancellationException} once the request is being discarded.
	 */
	Mono<StagingArea.Read> read(String key, String contentType, Flux<DataBuffer> content, long limit) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		synchronized (this) {
			if (discarding) {
				return Mono.error(new CancellationException("the request's staged objects are being discarded"));
			}
			keys.add(key);
			settled.add(done);
		}
		AtomicBoolean uploading = new AtomicBoolean();
		return staging.read(key, contentType, content, limit, upload -> {
			uploading.set(true);
			upload.whenComplete((result, error) -> done.complete(null));
		}).doFinally(signal -> {
			if (!uploading.get()) {
				// ended before its upload began: nothing will be written under the key
				done.complete(null);
			}
		});
	}

	/**
	 * Stages one object while holding {@code slot}, which is released when the work is done. Emits
	 * once the content has been read if its bytes fit the buffer budget of {@code slots}: the
	 * upload then goes on in the background, holding the slot and the bytes until it settles,
	 * and the emitted outcome says only "read" ({@link #stored()} tells the rest). Otherwise emits
	 * once the upload has settled, as {@link #stage}.
	 */
	public Mono<StagingArea.Staged> stage(String key, String contentType, Flux<DataBuffer> content, long limit,
			UploadSlots slots, UploadSlots.Slot slot) {
		AtomicBoolean handedOff = new AtomicBoolean();
		return read(key, contentType, content, limit).flatMap(read -> {
			if (!read.tooLarge() && slots.tryHoldBuffered(read.size())) {
				handedOff.set(true);
				background.add(read);
				read.upload().whenComplete((error, never) -> {
					slots.releaseBuffered(read.size());
					slot.release();
				});
				return Mono.just(new StagingArea.Staged(read.size(), false, false));
			}
			return read.settled();
		}).doFinally(signal -> {
			if (!handedOff.get()) {
				slot.release();
			}
		});
	}

	/**
	 * Completes once every upload begun so far has settled; fails with the "storage unavailable"
	 * 503 if one left to run in the background failed (the others told their caller already).
	 */
	public Mono<Void> stored() {
		return Mono.defer(() -> Mono.fromFuture(CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new)), true))
			.then(Mono.defer(() -> background.stream().anyMatch(read -> read.outcome().failed())
					? Mono.error(storageUnavailable()) : Mono.empty()));
	}

	/**
	 * Moves a staged object to another key once every upload has settled (a copy inside the
	 * store, then the old key deleted); the new key is remembered for {@link #discard()}.
	 */
	public Mono<Void> move(String from, String to) {
		synchronized (this) {
			if (discarding) {
				return Mono.error(new CancellationException("the request's staged objects are being discarded"));
			}
			keys.add(to);
		}
		return stored().then(staging.move(from, to));
	}

	/** Deletes whatever was staged, once its uploads have settled. Best effort. */
	public Mono<Void> discard() {
		return Mono.defer(() -> {
			CompletableFuture<?>[] pending;
			synchronized (this) {
				discarding = true;
				pending = settled.toArray(CompletableFuture[]::new);
			}
			return Mono.fromFuture(CompletableFuture.allOf(pending), true)
				.timeout(CLEANUP_WAIT)
				.onErrorResume(ex -> Mono.empty())
				.then(Mono.defer(() -> staging.deleteAll(List.copyOf(keys))));
		});
	}

	/** 503: the staging area (S3) did not take the bytes; the client may retry. */
	public static ApiProblem storageUnavailable() {
		return ApiProblem.unavailable("Image storage is temporarily unavailable, please retry.", Duration.ofSeconds(1));
	}

}
