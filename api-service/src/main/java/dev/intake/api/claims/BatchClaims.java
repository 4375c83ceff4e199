package dev.intake.api.claims;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.intake.contracts.BatchKey;
import dev.intake.contracts.ObjectKeys;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Claims on batch ids, one small S3 object per {@code tenant/batchId} written with a conditional
 * {@code If-None-Match: *}, so that of two requests naming the same id exactly one wins, on one
 * instance or many. The claim records the answer the winner got and the hash of its
 * {@code Idempotency-Key}, which is how a retried request is recognised and answered the same.
 * A claim older than the reuse period (the status retention) may be taken over; so may a claim
 * older than the abandon period whose batch the status-service does not know, since the request
 * that wrote it died before its batch was queued (a retry of that request is then run again rather
 * than answered with the first answer, which would name a batch that does not exist).
 */
public final class BatchClaims {

	private static final int PRECONDITION_FAILED = 412;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final S3AsyncClient s3;

	private final String bucket;

	private final Duration reuseAfter;

	private final Duration abandonedAfter;

	private final Function<BatchKey, Mono<Boolean>> batchKnown;

	private final Clock clock;

	/**
	 * @param batchKnown whether a batch was queued under a key, as the status-service knows it;
	 * an error leaves the claim standing
	 */
	public BatchClaims(S3AsyncClient s3, String bucket, BatchIdProperties periods,
			Function<BatchKey, Mono<Boolean>> batchKnown, Clock clock) {
		this.s3 = s3;
		this.bucket = bucket;
		this.reuseAfter = periods.reuseAfter();
		this.abandonedAfter = periods.abandonedAfter();
		this.batchKnown = batchKnown;
		this.clock = clock;
	}

	/**
	 * Claims {@code key} for a batch of {@code totalCount} items. Emits {@code null}-free outcomes:
	 * {@link Won} when this request now owns the id, {@link Taken} (with the existing claim) when an
	 * earlier request owns it.
	 */
	public Mono<Outcome> claim(BatchKey key, int totalCount, IdempotencyKey idempotencyKey) {
		Claim claim = new Claim(key.batchId(), totalCount, idempotencyKey.hash(), Instant.now(clock));
		return put(key, claim, null).onErrorResume(BatchClaims::preconditionFailed,
				ex -> read(key).flatMap(existing -> {
					Instant createdAt = existing.claim().createdAt();
					if (createdAt.plus(reuseAfter).isBefore(claim.createdAt())) {
						// the batch this claim stood for has expired
						return takeOver(key, claim, existing);
					}
					if (createdAt.plus(abandonedAfter).isBefore(claim.createdAt())) {
						return batchKnown.apply(key)
							.onErrorResume(unknown -> Mono.just(true))
							.flatMap(known -> known ? Mono.just(new Taken(existing.claim()))
									: takeOver(key, claim, existing));
					}
					return Mono.just(new Taken(existing.claim()));
				}));
	}

	/** Replaces {@code existing} with {@code claim}, unless another request just did. */
	private Mono<Outcome> takeOver(BatchKey key, Claim claim, Existing existing) {
		return put(key, claim, existing.etag()).onErrorResume(BatchClaims::preconditionFailed,
				again -> read(key).map(latest -> new Taken(latest.claim())));
	}

	/** Gives a claim up again, after its batch could not be queued. Best effort. */
	public Mono<Void> release(BatchKey key) {
		return Mono
			.fromFuture(() -> s3.deleteObject(request -> request.bucket(bucket)
				.key(ObjectKeys.batchClaim(key.tenant(), key.batchId()))))
			.then()
			.onErrorResume(ex -> Mono.empty());
	}

	private Mono<Outcome> put(BatchKey key, Claim claim, String overwriteEtag) {
		byte[] body = JSON.writeValueAsBytes(claim);
		return Mono.fromFuture(() -> s3.putObject(request -> {
			request.bucket(bucket)
				.key(ObjectKeys.batchClaim(key.tenant(), key.batchId()))
				.contentType("application/json");
			if (overwriteEtag == null) {
				request.ifNoneMatch("*");
			}
			else {
				request.ifMatch(overwriteEtag);
			}
		}, AsyncRequestBody.fromBytes(body))).thenReturn(new Won());
	}

	private Mono<Existing> read(BatchKey key) {
		return Mono
			.fromFuture(() -> s3.getObject(
					request -> request.bucket(bucket).key(ObjectKeys.batchClaim(key.tenant(), key.batchId())),
					AsyncResponseTransformer.toBytes()))
			.map(response -> new Existing(JSON.readValue(response.asByteArray(), Claim.class),
					response.response().eTag()))
			// deleted between the failed write and this read: the request that held it gave it up
			.onErrorResume(ex -> unwrap(ex) instanceof NoSuchKeyException,
					ex -> Mono.error(new IllegalStateException("batch id claim of " + key + " vanished", ex)));
	}

	private static boolean preconditionFailed(Throwable ex) {
		return unwrap(ex) instanceof S3Exception s3 && s3.statusCode() == PRECONDITION_FAILED;
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	/** What claiming a batch id came to. */
	public sealed interface Outcome permits Won, Taken {
	}

	/** This request owns the batch id now. */
	record Won() implements Outcome {
	}

	/** An earlier request owns the batch id. */
	public record Taken(Claim claim) implements Outcome {

		/** Whether the request that wants the id is a retry of the one that claimed it. */
		public boolean isRetryWith(IdempotencyKey key) {
			return key.hash() != null && Objects.equals(key.hash(), claim.idempotencyKeyHash());
		}

	}

	/** The stored claim: the answer its request got, and the hash of its Idempotency-Key. */
	public record Claim(@JsonProperty("batch_id") String batchId, @JsonProperty("total_count") int totalCount,
			@JsonProperty("idempotency_key_sha256") String idempotencyKeyHash,
			@JsonProperty("created_at") Instant createdAt) {
	}

	private record Existing(Claim claim, String etag) {
	}

}
