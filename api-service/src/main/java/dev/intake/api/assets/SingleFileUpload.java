package dev.intake.api.assets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import dev.intake.api.claims.Ids;
import dev.intake.api.error.ApiProblem;
import dev.intake.api.limits.SubmissionSlot;
import dev.intake.api.limits.TenantQuotas;
import dev.intake.api.publish.BatchPublisher;
import dev.intake.api.publish.BatchPublisher.Publication;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.upload.BodyCutOff;
import dev.intake.api.submission.upload.UploadProperties;
import dev.intake.contracts.AssetLink;
import dev.intake.contracts.BatchKey;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.BlobRef;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemIds;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.LogSafe;
import dev.intake.contracts.SubmittedItem;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.intake.api.staging.ConnectionThread;
import reactor.util.context.Context;

import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The single-file upload of the compatible APIs, over the batch pipeline: read a form with one file
 * (staged with the limits and slots of batch uploads), let the adapter judge its fields, check that
 * an asset to replace exists, allocate a new asset id and publish a batch of one in one Kafka
 * transaction, then wait for that item's result on the status-service's live stream and answer
 * with what the worker stored. Refusals are {@link FileRefused} (or the adapter's own problem);
 * whatever was staged is then deleted (after the answer when the client stopped sending the body,
 * see {@link BodyCutOff}). Once publishing has begun the upload completes, whatever
 * the client or the deadline does.
 */
public final class SingleFileUpload {

	private static final Log logger = LogFactory.getLog(SingleFileUpload.class);

	private static final int FIRST_ATTEMPT = 1;

	private static final int ITEM = 0;

	private static final ResolvableType PART_EVENT = ResolvableType.forClass(PartEvent.class);

	/** What a form's file field held. */
	public enum FileState {

		/** Exactly one file. */
		PRESENT,
		/** No part of that name. */
		MISSING,
		/** A text field of that name, no file. */
		NOT_A_FILE,
		/** More than one file. */
		SEVERAL

	}

	/**
	 * A form as read, for the adapter to judge: the file field's state, the first value of every
	 * text field, and the type the file's first bytes show ({@link FileType#UNKNOWN} when they show
	 * none Intake accepts, or there is no file), a hint: the worker decides what the bytes are.
	 */
	public record Form(FileState file, Map<String, String> fields, FileType sniffedType) {

		public Form {
			fields = Map.copyOf(fields);
		}

	}

	private final UploadProperties limits;

	private final StagingArea staging;

	private final UploadSlots slots;

	private final BatchPublisher publisher;

	private final ItemOutcomes outcomes;

	private final Clock clock;

	private final HttpMessageReader<PartEvent> partReader;

	private final TenantQuotas quotas;

	SingleFileUpload(UploadProperties limits, StagingArea staging, UploadSlots slots, BatchPublisher publisher,
			ItemOutcomes outcomes, TenantQuotas quotas, Clock clock, HttpMessageReader<PartEvent> partReader) {
		this.partReader = partReader;
		this.quotas = quotas;
		this.limits = limits;
		this.staging = staging;
		this.slots = slots;
		this.publisher = publisher;
		this.outcomes = outcomes;
		this.clock = clock;
	}

	/**
	 * Uploads the one file of {@code parts} under {@code fileField} as an asset of {@code tenant}.
	 * A text field of {@code singleValued} given twice is refused ({@link FileRefused.Reason#REPEATED_FIELD}).
	 * {@code decide} judges the form (throwing its API's own problem to refuse it) and returns
	 * what to make of it. Emits the stored asset, or errors with a {@link FileRefused} or the
	 * adapter's problem.
	 */
	public Mono<StoredAsset> upload(String tenant, ServerHttpRequest request, String fileField,
			Set<String> singleValued, Function<Form, AssetRequest> decide) {
		return upload(request, fileField, singleValued, FormTenant.of(tenant), decide);
	}

	/**
	 * Uploads the one file of {@code parts} under {@code fileField} as an asset of the tenant that
	 * {@code tenantOf} decides from the text fields sent before the file (for an API that sends its
	 * credential as a form field), before any byte of the file is staged, or, when they do not say
	 * yet, from all the fields at the form's end (the file waits meanwhile under a key of no
	 * tenant). An error of {@code tenantOf} (the adapter's own problem) ends the
	 * upload with nothing staged. Otherwise as {@link #upload(String, ServerHttpRequest, String, Set, Function)}.
	 */
	public Mono<StoredAsset> upload(ServerHttpRequest request, String fileField, Set<String> singleValued,
			FormTenant tenantOf, Function<Form, AssetRequest> decide) {
		return upload(tenantOf, partReader.read(PART_EVENT, request, Map.of()), fileField, singleValued, decide)
			.contextWrite(Context.of(ConnectionThread.KEY, ConnectionThread.of(request)));
	}

	/** Whether a request says it is a multipart form (else it cannot carry a file). */
	public static boolean isMultipartForm(ServerHttpRequest request) {
		try {
			MediaType type = request.getHeaders().getContentType();
			return type != null && MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type);
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	Mono<StoredAsset> upload(FormTenant tenantOf, Flux<PartEvent> parts,
			String fileField, Set<String> singleValued, Function<Form, AssetRequest> decide) {
		return Mono.defer(() -> {
			String uploadId = Ids.uploadId();
			FileForm form = new FileForm(fileField, singleValued, tenantOf, uploadId, limits, staging, slots);
			BodyCutOff cutOff = new BodyCutOff();
			AtomicBoolean publishing = new AtomicBoolean();
			return form.read(cutOff.watch(parts)).map(read -> {
				AssetRequest request = decide.apply(new Form(read.fileState(), read.fields(), read.sniffedType()));
				requirePresent(read.fileState());
				return request;
			})
				.flatMap(request -> previousOf(form.tenantId(), request))
				.flatMap(judged -> {
					publishing.set(true);
					String tenant = form.tenantId();
					// publishing runs to its end even if the client goes away meanwhile, in the request's
					// context (its trace goes on in the published records)
					return Mono.deferContextual(context -> Mono.fromFuture(
							() -> publish(tenant, uploadId, form, judged.request()).contextWrite(context).toFuture(), true))
						// queued: the wait for the outcome is not a submission in progress
						.flatMap(publication -> SubmissionSlot.whileWaiting(quotas, tenant,
								answer(tenant, publication, form, judged)));
				})
				// a body cut off by the read timeout is answered now: its connection is being closed
				.onErrorResume(ex -> publishing.get() ? Mono.error(ex) : cutOff.failAfter(form.discard(), ex))
				.doOnCancel(() -> {
					if (!publishing.get()) {
						form.discard().subscribe();
					}
				});
		});
	}

	private static void requirePresent(FileState state) {
		switch (state) {
			case PRESENT -> {
			}
			case MISSING -> throw new FileRefused(FileRefused.Reason.MISSING_FILE, "No file was sent.");
			case NOT_A_FILE -> throw new FileRefused(FileRefused.Reason.NOT_A_FILE, "The file field is not a file.");
			case SEVERAL -> throw new FileRefused(FileRefused.Reason.SEVERAL_FILES, "Send exactly one file.");
		}
	}

	/** The request, with the asset it replaces when it replaces one (which must exist for the tenant). */
	private record Judged(AssetRequest request, ItemOutcomes.Previous previous) {
	}

	private Mono<Judged> previousOf(String tenant, AssetRequest request) {
		if (!request.replaces()) {
			return Mono.just(new Judged(request, null));
		}
		return outcomes.existing(tenant, request.replaceId()).map(previous -> new Judged(request, previous));
	}

	private Mono<Publication> publish(String tenant, String uploadId, FileForm form, AssetRequest request) {
		Mono<Publication> published = request.replaces()
				? Mono.defer(() -> {
					Publication publication = publication(tenant, uploadId, request.replaceId(), true, form, request);
					return publisher.publish(publication.batch(), publication.jobs()).thenReturn(publication);
				}) : publisher.publishWithNewAsset(tenant, id -> publication(tenant, uploadId, id, false, form, request));
		return published.onErrorMap(ex -> !(ex instanceof FileRefused), ex -> {
			if (ex instanceof ApiProblem problem && problem.status().value() == 429) {
				String retryAfter = problem.headers().getFirst(HttpHeaders.RETRY_AFTER);
				return new FileRefused(FileRefused.Reason.RATE_LIMITED, problem.getMessage(),
						Duration.ofSeconds((retryAfter != null) ? Long.parseLong(retryAfter) : 1));
			}
			if (ex instanceof BatchPublisher.OutcomeUnknownException) {
				logger.warn("Publishing the upload " + uploadId + " of tenant " + tenant + " timed out", ex);
			}
			else {
				logger.warn("Could not publish the upload " + uploadId + " of tenant " + tenant, ex);
			}
			return FileRefused.unavailable("The upload queue is temporarily unavailable, please retry.",
					Duration.ofSeconds(1));
		});
	}

	private Publication publication(String tenant, String uploadId, long assetId, boolean replace, FileForm form,
			AssetRequest request) {
		String batchId = "asset-" + assetId + "-" + uploadId;
		BatchKey key = new BatchKey(tenant, batchId);
		ItemSource source = new ItemSource.Staged(
				new BlobRef(staging.bucket(), form.key(), form.size(), form.contentType()), form.filename());
		SubmittedItem item = new SubmittedItem(ITEM, ItemIds.of(key, ITEM), form.filename(), source, null, null,
				new AssetLink(assetId, replace, request.api(), request.attributes()));
		BatchSubmitted batch = new BatchSubmitted(tenant, batchId, Instant.now(clock), List.of(item));
		IngestImage job = new IngestImage(tenant, batchId, item.itemId(), ITEM, item.name(), source, FIRST_ATTEMPT,
				request.options());
		return new Publication(batch, List.of(job));
	}

	private Mono<StoredAsset> answer(String tenant, Publication publication, FileForm form, Judged judged) {
		BatchSubmitted batch = publication.batch();
		long id = batch.items().get(ITEM).asset().id();
		return outcomes.await(tenant, batch.batchId()).map(stored -> {
			// dated as the catalogue dates it: when the worker stored the file
			Instant now = (stored.processedAt() != null) ? stored.processedAt() : Instant.now(clock);
			ItemOutcomes.Previous previous = judged.previous();
			Instant created = (previous != null) ? previous.createdAt() : now;
			Instant updated = (previous != null && previous.updatedAt().isAfter(now)) ? previous.updatedAt() : now;
			logger.debug("Stored asset " + tenant + "/" + id + " (" + LogSafe.text(form.filename()) + ")");
			Map<String, String> attributes = new LinkedHashMap<>();
			if (previous != null) {
				attributes.putAll(previous.attributes());
			}
			attributes.putAll(judged.request().attributes());
			return new StoredAsset(id, previous != null, form.filename(), stored.key(), stored.url(),
					stored.contentType(), stored.image(), stored.width(), stored.height(), stored.size(), stored.md5(),
					stored.renditions(), created, updated, attributes);
		});
	}

}
