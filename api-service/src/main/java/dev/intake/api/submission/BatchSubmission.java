package dev.intake.api.submission;

import dev.intake.api.claims.BatchClaims;
import dev.intake.api.claims.IdempotencyKey;
import dev.intake.api.claims.Ids;
import dev.intake.api.publish.BatchPublisher;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.json.JsonUpload;
import dev.intake.api.submission.multipart.MultipartUpload;
import dev.intake.api.submission.upload.BodyCutOff;
import dev.intake.api.submission.upload.UploadMessages;
import dev.intake.api.submission.upload.UploadProperties;
import dev.intake.api.submission.zip.ArchiveThreads;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.intake.api.error.ApiProblem;
import dev.intake.api.submission.upload.UploadForm.AcceptedUpload;
import dev.intake.api.webhooks.BatchCallbacks;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.LogSafe;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.codec.multipart.PartEvent;

/**
 * Submitting a batch (multipart files or a JSON submit): stage every file or Base64 item, check the
 * request as a whole, claim the batch id, then publish the batch and its jobs. Either the client
 * gets its batch id and every item is queued, or it gets an error, nothing is queued and the staged
 * files are deleted (after the answer when the client stopped sending the body: the read timeout
 * closes the connection, so that answer cannot wait, see {@link BodyCutOff}). The exceptions: when
 * publishing timed out with an unknown outcome, or the client went away while it was publishing,
 * the staged files are kept, since the batch may exist (the staging area expires them anyway). A
 * batch id that is already claimed is a 409, unless the request repeats the claim's
 * {@code Idempotency-Key}: then the first answer is given again and nothing more is queued.
 */
final class BatchSubmission {

	private static final Log logger = LogFactory.getLog(BatchSubmission.class);

	private static final int FIRST_ATTEMPT = 1;

	private final UploadProperties limits;

	private final SubmitProperties submitLimits;

	private final ArchiveThreads archiveThreads;

	private final StagingArea staging;

	private final UploadSlots slots;

	private final BatchPublisher publisher;

	private final BatchClaims claims;

	private final BatchCallbacks callbacks;

	private final Clock clock;

	BatchSubmission(UploadProperties limits, SubmitProperties submitLimits, StagingArea staging, UploadSlots slots,
			ArchiveThreads archiveThreads, BatchPublisher publisher, BatchClaims claims, BatchCallbacks callbacks,
			Clock clock) {
		this.claims = claims;
		this.callbacks = callbacks;
		this.archiveThreads = archiveThreads;
		this.limits = limits;
		this.submitLimits = submitLimits;
		this.staging = staging;
		this.slots = slots;
		this.publisher = publisher;
		this.clock = clock;
	}

	/** Emits the answer to a multipart upload, or an {@link ApiProblem} to answer with. */
	Mono<SubmitResponse> submit(String tenant, IdempotencyKey key, Flux<PartEvent> parts) {
		return submit(tenant, key, cutOff -> {
			MultipartUpload upload = new MultipartUpload(tenant, Ids.uploadId(), key.defaultBatchId(), limits,
					staging, slots, archiveThreads);
			return new Reading(upload.read(cutOff.watch(parts)), upload::discard);
		});
	}

	/** Emits the answer to a JSON submit, or an {@link ApiProblem} to answer with. */
	Mono<SubmitResponse> submitJson(String tenant, IdempotencyKey key, Flux<DataBuffer> body) {
		return submit(tenant, key, cutOff -> {
			JsonUpload upload = new JsonUpload(tenant, Ids.uploadId(), key.defaultBatchId(), limits, submitLimits,
					staging, slots);
			return new Reading(upload.read(cutOff.watch(body)), upload::discard);
		});
	}

	private Mono<SubmitResponse> submit(String tenant, IdempotencyKey key, Function<BodyCutOff, Reading> start) {
		return Mono.defer(() -> {
			BodyCutOff cutOff = new BodyCutOff();
			Reading upload = start.apply(cutOff);
			AtomicBoolean publishing = new AtomicBoolean();
			return upload.accepted()
				.doOnNext(accepted -> publishing.set(true))
				// claiming and publishing run to their end even if the client goes away meanwhile, so a
				// claim never stands for a batch that was not queued; they keep the request's context
				// (its trace goes on in the published records)
				.flatMap(accepted -> Mono.deferContextual(context -> Mono.fromFuture(
						() -> claimAndPublish(accepted, key, upload).contextWrite(context).toFuture(), true)))
				.onErrorResume(ex -> {
					if (ex instanceof BatchPublisher.OutcomeUnknownException unknown) {
						logger.warn("Publishing batch " + unknown.batch() + " timed out; its staged files are kept",
								ex);
						return Mono.error(UploadMessages.queueUncertain(unknown.batch().batchId()));
					}
					if (ex instanceof ApiProblem problem && logger.isDebugEnabled()) {
						logger.debug("Rejected an upload of tenant " + tenant + ": " + LogSafe.text(problem.getMessage()));
					}
					// a body cut off by the read timeout is answered now: its connection is being closed
					return cutOff.failAfter(upload.discard(), ex);
				})
				.doOnCancel(() -> {
					// once publishing has begun it runs to its end, so the batch may exist: keep its files
					if (!publishing.get()) {
						upload.discard().subscribe();
					}
				});
		});
	}

	/** An upload being read, and how to delete what it staged. */
	private record Reading(Mono<AcceptedUpload> accepted, Supplier<Mono<Void>> discarding) {

		Mono<Void> discard() {
			return discarding.get();
		}

	}

	private Mono<SubmitResponse> claimAndPublish(AcceptedUpload accepted, IdempotencyKey key, Reading upload) {
		if (accepted.callbackUrl() == null) {
			return claimAndPublish(accepted, key, upload, null);
		}
		// a refused callback URL refuses the batch before anything is claimed
		return callbacks.check(accepted.callbackUrl())
			.flatMap(url -> claimAndPublish(accepted.withCallbackUrl(url), key, upload, url));
	}

	private Mono<SubmitResponse> claimAndPublish(AcceptedUpload accepted, IdempotencyKey key, Reading upload,
			String callbackUrl) {
		return claims.claim(accepted.key(), accepted.items().size(), key)
			.onErrorMap(ex -> {
				logger.warn("Could not claim batch id " + accepted.key(), ex);
				return UploadMessages.storageUnavailable();
			})
			.flatMap(outcome -> {
				if (outcome instanceof BatchClaims.Taken taken) {
					if (!taken.isRetryWith(key)) {
						return Mono.error(UploadMessages.batchExists(accepted.key().batchId()));
					}
					logger.info("Answered a retry of batch " + accepted.key() + " with its first answer");
					return upload.discard().thenReturn(SubmitResponse.of(taken.claim()));
				}
				if (callbackUrl == null) {
					return publish(accepted).map(SubmitResponse::of)
						.onErrorResume(ex -> !(ex instanceof BatchPublisher.OutcomeUnknownException),
								ex -> claims.release(accepted.key()).then(Mono.error(ex)));
				}
				String tenant = accepted.key().tenant();
				String batchId = accepted.key().batchId();
				// registered before the batch is published, so it is known when the batch completes
				return callbacks.register(tenant, batchId, callbackUrl)
					.flatMap(secret -> publish(accepted).map(batch -> SubmitResponse.of(batch, secret))
						.onErrorResume(ex -> !(ex instanceof BatchPublisher.OutcomeUnknownException),
								ex -> callbacks.forget(tenant, batchId).then(Mono.error(ex))))
					.onErrorResume(ex -> !(ex instanceof BatchPublisher.OutcomeUnknownException),
							ex -> claims.release(accepted.key()).then(Mono.error(ex)));
			});
	}

	private Mono<BatchSubmitted> publish(AcceptedUpload accepted) {
		String tenant = accepted.key().tenant();
		String batchId = accepted.key().batchId();
		BatchSubmitted batch = new BatchSubmitted(tenant, batchId, Instant.now(clock), accepted.items());
		List<IngestImage> jobs = accepted.items()
			.stream()
			.map(item -> new IngestImage(tenant, batchId, item.itemId(), item.index(), item.name(), item.source(),
					FIRST_ATTEMPT))
			.toList();
		return publisher.publish(batch, jobs)
			.onErrorMap(BatchPublisher.TooLargeException.class,
					tooLarge -> UploadMessages.batchTooLarge(tooLarge.size(), tooLarge.limit()))
			.onErrorMap(ex -> !(ex instanceof BatchPublisher.OutcomeUnknownException || ex instanceof ApiProblem), ex -> {
				logger.warn("Could not publish batch " + accepted.key(), ex);
				return UploadMessages.queueUnavailable();
			})
			.doOnSuccess(done -> logger.info("Accepted batch " + accepted.key() + " with " + jobs.size() + " items"))
			.thenReturn(batch);
	}

}
