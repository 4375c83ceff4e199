package dev.intake.api.compat.fileservice;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;

import dev.intake.api.publish.BatchPublisher;
import dev.intake.contracts.BatchKey;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.BlobRef;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.IngestOptions;
import dev.intake.contracts.ItemIds;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.StoredImage;
import dev.intake.contracts.SubmittedItem;
import dev.intake.contracts.Topics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The image side of file-service versions. An image version is queued, before it is recorded, as
 * an {@link BatchSubmitted#internal() internal} batch of one ({@code vault-{handle}}), which no
 * status route shows and no event announces, whose job reads the version where it is stored
 * ({@link ItemSource.Vault}): the worker checks and measures the bytes, writes renditions under
 * the version's private folder ({@link ObjectKeys#vaultRenditions}) and the item's result to
 * {@link ObjectKeys#vaultImage}, the one place the file service reads it from. A version whose
 * result is not there yet is {@code PENDING}; one whose bytes failed the checks is {@code FAILED}
 * (its bytes are still served as they are).
 */
final class ImageChecks {

	static final String BATCH_PREFIX = "vault-";

	private static final Log logger = LogFactory.getLog(ImageChecks.class);

	private static final int ITEM = 0;

	private static final int FIRST_ATTEMPT = 1;

	private final BatchPublisher publisher;

	private final S3AsyncClient s3;

	private final String bucket;

	private final SignedLinks links;

	private final Clock clock;

	ImageChecks(BatchPublisher publisher, S3AsyncClient s3, String bucket, SignedLinks links, Clock clock) {
		this.publisher = publisher;
		this.s3 = s3;
		this.bucket = bucket;
		this.links = links;
		this.clock = clock;
	}

	/** The batch that checks version {@code handle}. */
	static String batchOf(String handle) {
		return BATCH_PREFIX + handle;
	}

	/**
	 * Queues the check of a stored image version; emits its batch id once the batch and its job
	 * are durably published, or errors with a 503 problem of the service.
	 */
	Mono<String> queue(String tenant, String handle, Acl acl, FileBody.Stored stored, String filename) {
		String batchId = batchOf(handle);
		BatchKey key = new BatchKey(tenant, batchId);
		ItemSource source = new ItemSource.Vault(
				new BlobRef(bucket, stored.key(), stored.size(), stored.type().contentType()), filename, acl.segment(),
				handle);
		SubmittedItem item = new SubmittedItem(ITEM, ItemIds.of(key, ITEM), filename, source);
		// internal: tracked by the status-service, never shown to the client nor announced in events
		BatchSubmitted batch = new BatchSubmitted(tenant, batchId, clock.instant(), List.of(item), true);
		IngestImage job = new IngestImage(tenant, batchId, item.itemId(), ITEM, filename, source, FIRST_ATTEMPT,
				IngestOptions.DEFAULT);
		return publisher.publish(batch, List.of(job)).thenReturn(batchId).onErrorMap(ex -> {
			logger.warn("Could not queue the image check of file-service version " + tenant + "/" + handle + ": " + ex);
			return FileServiceErrors.unavailable("The processing queue is temporarily unavailable, please retry.");
		});
	}

	/**
	 * What is known of an image version's bytes, its renditions with fresh signed links; empty
	 * for a version that is no image (a document or a placeholder).
	 */
	Mono<FileAnswer.Image> image(String tenant, FileVersion version, URI requestUri) {
		if (version.imageBatch() == null) {
			return Mono.empty();
		}
		String key = ObjectKeys.vaultImage(tenant, version.handle());
		return Mono
			.fromFuture(() -> s3.getObject(get -> get.bucket(bucket).key(key), AsyncResponseTransformer.toBytes()))
			.map(response -> answer(tenant, version,
					Topics.RESULTS.valueSerde().deserializer().deserialize(Topics.RESULTS.name(), response.asByteArray()),
					requestUri))
			.onErrorResume(ex -> unwrap(ex) instanceof NoSuchKeyException, ex -> Mono.just(FileAnswer.Image.PENDING));
	}

	private FileAnswer.Image answer(String tenant, FileVersion version, ItemResult result, URI requestUri) {
		if (result instanceof ItemResult.ImageFailed failed) {
			return FileAnswer.Image.failed(failed.code(), failed.message());
		}
		StoredImage image = ((ItemResult.ImageStored) result).image();
		String folder = ObjectKeys.vaultRenditions(tenant, version.acl().segment(), version.handle());
		List<FileAnswer.ImageRendition> renditions = image.renditions()
			.stream()
			// only this version's own renditions are ever signed
			.filter(rendition -> rendition.key().startsWith(folder)
					&& rendition.key().indexOf('/', folder.length()) < 0)
			.map(rendition -> new FileAnswer.ImageRendition(rendition.name(), rendition.width(), rendition.height(),
					rendition.contentType(), rendition.size(),
					links.link(rendition.key(), rendition.contentType(), requestUri)))
			.toList();
		return FileAnswer.Image.processed(image.width(), image.height(), image.frames(),
				(image.format() != null) ? image.format().extension() : null, renditions);
	}

	/** Deletes what the check of a deleted version wrote (best effort: failures are logged). */
	Mono<Void> discard(String tenant, FileVersion version) {
		if (version.imageBatch() == null) {
			return Mono.empty();
		}
		String folder = ObjectKeys.vaultRenditions(tenant, version.acl().segment(), version.handle());
		return Flux.from(s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(folder)).contents())
			.map(S3Object::key)
			.concatWithValues(ObjectKeys.vaultImage(tenant, version.handle()))
			.concatMap(key -> Mono.fromFuture(() -> s3.deleteObject(delete -> delete.bucket(bucket).key(key))))
			.then()
			.onErrorResume(ex -> {
				logger.warn("Could not delete the renditions of a deleted file-service version: " + ex);
				return Mono.empty();
			});
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

}
