package dev.intake.api.staging;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.util.unit.DataSize;

import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The S3 staging area (behind a {@link StagingStore}): uploads are streamed here (claim checks)
 * before their jobs are published, and deleted again when their request is rejected. A part that ends within the retry buffer
 * ({@link StagingProperties}) is kept whole and sent with its length, so the S3 client retries it
 * on transient errors; longer ones are streamed, their first bytes kept only until sent, through
 * the multipart-enabled async client, which holds at most one part's buffer per upload.
 */
public final class StagingArea {

	private static final Log logger = LogFactory.getLog(StagingArea.class);

	private static final int DELETE_BATCH = 1000;

	private final StagingStore store;

	private final ReplayBudget replay;

	/** A staging area in {@code bucket} on S3 with the default retry buffers ({@link StagingProperties}). */
	public StagingArea(S3AsyncClient s3, String bucket) {
		this(s3, bucket, new StagingProperties(DataSize.ofMegabytes(1), DataSize.ofMegabytes(16)));
	}

	/** A staging area in {@code bucket} on S3. */
	public StagingArea(S3AsyncClient s3, String bucket, StagingProperties properties) {
		this(new S3StagingStore(s3, bucket), properties);
	}

	/** A staging area on another store (the parsers' fuzz targets stage into memory). */
	public StagingArea(StagingStore store, StagingProperties properties) {
		this.store = store;
		this.replay = new ReplayBudget(properties.retryBufferSize().toBytes(), properties.maxRetryBuffers().toBytes());
	}

	/** Bytes kept in memory for retries right now. */
	long retryBuffersHeld() {
		return replay.held();
	}

	public String bucket() {
		return store.bucket();
	}

	/**
	 * Streams one part's content to {@code key}, reading the part to its end whatever happens. Emits
	 * how it went once the part is read and the upload has settled; errors only when reading the
	 * part failed. {@code uploads} receives a future that completes (never exceptionally) when the
	 * upload has settled.
	 */
	Mono<Staged> stage(String key, String contentType, Flux<DataBuffer> content, long limit,
			Consumer<CompletableFuture<?>> uploads) {
		return read(key, contentType, content, limit, uploads).flatMap(Read::settled);
	}

	/**
	 * Like {@link #stage}, but emits as soon as the part has been read to its end: the upload may
	 * still be running (its bytes then sit in the S3 client's buffer), and {@link Read#settled()}
	 * tells how it ended.
	 */
	Mono<Read> read(String key, String contentType, Flux<DataBuffer> content, long limit,
			Consumer<CompletableFuture<?>> uploads) {
		return Mono.deferContextual(context -> {
			ReplayBudget.Hold hold = replay.hold();
			StagedPartBody body = new StagedPartBody(limit, hold.bytes(), Context.of(context));
			content.subscribe(body);
			CompletableFuture<Optional<Throwable>> settled = new CompletableFuture<>();
			uploads.accept(settled);
			body.start().subscribe(start -> upload(key, contentType, body, start, hold).handle((response, error) -> {
				body.uploadSettled();
				hold.release();
				return settled.complete(Optional.ofNullable(error));
			}), error -> {
				// the part failed or was abandoned before its upload began: nothing was written
				hold.release();
				settled.complete(Optional.empty());
			});
			body.begin();
			// never cancel the upload future: the upload is stopped through its body, and must
			// settle before the request's staged objects are cleaned up
			return body.size().map(size -> new Read(key, size, body.exceeded(), settled)).doOnCancel(body::abandon);
		});
	}

	/**
	 * Begins the upload of a part: a part kept whole is given whole, with its length (S3 retries it
	 * on transient errors); a longer one is streamed, its kept bytes first, and cannot be retried.
	 */
	private CompletableFuture<?> upload(String key, String contentType, StagedPartBody body,
			StagedPartBody.Start start, ReplayBudget.Hold hold) {
		try {
			if (start instanceof StagedPartBody.Whole whole) {
				hold.shrinkTo(whole.size());
				return store.put(key, contentType, whole.size(), whole.buffers());
			}
			if (start instanceof StagedPartBody.Streamed streamed) {
				Queue<ByteBuffer> kept = streamed.kept();
				Flux<ByteBuffer> keptFirst = Flux.generate(sink -> {
					ByteBuffer next = kept.poll();
					if (next != null) {
						sink.next(next);
						return;
					}
					hold.release(); // the kept bytes are the store's now
					sink.complete();
				});
				return store.put(key, contentType, keptFirst.concatWith(body));
			}
			return CompletableFuture.completedFuture(null); // too large: nothing to store
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * A part read to its end.
	 *
	 * @param key where it is being staged
	 * @param size bytes in the part, counted to its end
	 * @param tooLarge the part outgrew the limit; nothing will be kept
	 * @param upload completes, never exceptionally, when the upload has settled: with its error, if
	 * it failed
	 */
	record Read(String key, long size, boolean tooLarge, CompletableFuture<Optional<Throwable>> upload) {

		/**
		 * How staging went, once the upload has settled (also when the part was too large: its
		 * aborted upload still holds a buffer until then).
		 */
		Mono<Staged> settled() {
			return Mono.fromFuture(upload, true).map(error -> tooLarge ? new Staged(size, true, false) : outcome(error));
		}

		/** How staging went; call only once the upload has settled. */
		Staged outcome() {
			if (!upload.isDone()) {
				throw new IllegalStateException("the upload of " + key + " has not settled");
			}
			return tooLarge ? new Staged(size, true, false) : outcome(upload.join());
		}

		private Staged outcome(Optional<Throwable> error) {
			if (error.isPresent()) {
				logger.warn("Staging " + key + " failed: " + error.get());
				return new Staged(size, false, true);
			}
			return new Staged(size, false, false);
		}

	}

	/** Copies a staged object to another key, then deletes the old one (best effort). */
	Mono<Void> move(String from, String to) {
		return Mono.fromFuture(() -> store.copy(from, to)).then(deleteAll(List.of(from)));
	}

	/** Deletes staged objects, best effort: failures are logged, never raised. */
	Mono<Void> deleteAll(List<String> keys) {
		return Flux.fromIterable(keys)
			.buffer(DELETE_BATCH)
			.concatMap(batch -> Mono.fromFuture(() -> store.delete(batch)))
			.doOnNext(errors -> {
				if (!errors.isEmpty()) {
					logger.warn("Could not delete " + errors.size() + " staged objects, e.g. " + errors.get(0));
				}
			})
			.then()
			.onErrorResume(ex -> {
				logger.warn("Could not delete " + keys.size() + " staged objects: " + ex);
				return Mono.empty();
			});
	}

	/**
	 * How staging one part went.
	 *
	 * @param size bytes in the part, counted to its end
	 * @param tooLarge the part outgrew the limit; nothing was kept
	 * @param failed the upload failed for a storage reason
	 */
	public record Staged(long size, boolean tooLarge, boolean failed) {
	}

}
