package dev.intake.api.assets;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.intake.api.assets.SingleFileUpload.FileState;
import dev.intake.api.error.ApiProblem;
import dev.intake.api.staging.StagedObjects;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.multipart.PartBuffers;
import dev.intake.api.submission.multipart.ReaderErrors;
import dev.intake.api.submission.upload.UploadProperties;
import dev.intake.contracts.DisplayNames;
import dev.intake.contracts.DocumentFormat;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.ObjectKeys;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;

/**
 * One single-file form being read: the one file part under the adapter's field name is streamed
 * to the staging area as it arrives, with the limits and slots of batch uploads; text fields are
 * collected (first value wins; a field the adapter says takes one value is refused when it comes
 * again); other parts are read and dropped. After the first problem nothing
 * more is staged and the rest is drained up to the drain budget, so the client gets the answer.
 * The tenant is decided from the text fields sent before the file (an adapter may read a
 * credential there), before any byte of the file is staged. When those fields do not say yet (the
 * credential comes after the file), the file is staged under a key of no tenant and moved to its
 * tenant's key once the form's end decides, or deleted when it decides on none; a form without a
 * file decides at its end.
 */
final class FileForm {

	private final String fileField;

	private final Set<String> singleValued;

	private final FormTenant tenantOf;

	private final String uploadId;

	private String tenant;

	private String key;

	/** The file is staged under a key of no tenant, to be moved once the tenant is decided. */
	private boolean unclaimed;

	private final UploadProperties limits;

	private final UploadSlots slots;

	private final StagedObjects staged;

	private final PartBuffers buffers = new PartBuffers();

	private final Map<String, String> fields = new LinkedHashMap<>();

	private int fileParts;

	private boolean textUnderFileField;

	private String filename = "";

	private String contentType = MediaType.APPLICATION_OCTET_STREAM_VALUE;

	private long size = -1;

	/** The file's first bytes, up to {@link FileType#HEAD}, as they were staged. */
	private final ByteArrayOutputStream head = new ByteArrayOutputStream();

	private RuntimeException rejection;

	private long drained;

	FileForm(String fileField, FormTenant tenantOf, String uploadId,
			UploadProperties limits, StagingArea staging, UploadSlots slots) {
		this(fileField, Set.of(), tenantOf, uploadId, limits, staging, slots);
	}

	FileForm(String fileField, Set<String> singleValued, FormTenant tenantOf, String uploadId,
			UploadProperties limits, StagingArea staging, UploadSlots slots) {
		this.fileField = fileField;
		this.singleValued = Set.copyOf(singleValued);
		this.tenantOf = tenantOf;
		this.uploadId = uploadId;
		this.limits = limits;
		this.slots = slots;
		this.staged = new StagedObjects(staging);
	}

	/**
	 * Reads the whole request; completes once the file (if any) is staged, or errors with a
	 * {@link FileRefused}, the error of deciding the tenant, or the 4xx {@link ApiProblem} of a
	 * body that broke its own limits (too slow, over the tenant's bytes per minute).
	 */
	Mono<FileForm> read(Flux<PartEvent> parts) {
		return buffers.read(parts, events -> events.windowUntil(PartEvent::isLast, false, 1)
			.concatMap(part -> part.switchOnFirst(this::onPart), 1)
			.then(Mono.defer(() -> (rejection == null) ? staged.stored() : Mono.empty()))
			.onErrorMap(ex -> explain(ex))
			.then(Mono.defer(() -> (rejection == null) ? tenant(true).then(Mono.defer(this::claim)) : Mono.empty()))
			.then(Mono.fromCallable(() -> {
				if (rejection != null) {
					throw rejection;
				}
				return this;
			})));
	}

	/** Deletes whatever was staged. Best effort. */
	Mono<Void> discard() {
		return staged.discard();
	}

	FileState fileState() {
		if (fileParts > 1) {
			return FileState.SEVERAL;
		}
		if (fileParts == 1) {
			return FileState.PRESENT;
		}
		return textUnderFileField ? FileState.NOT_A_FILE : FileState.MISSING;
	}

	Map<String, String> fields() {
		return Map.copyOf(fields);
	}

	String filename() {
		return filename;
	}

	String contentType() {
		return contentType;
	}

	String key() {
		return key;
	}

	/**
	 * The type the file's first bytes show ({@link FileType#sniff}), {@link FileType#UNKNOWN} when
	 * they show none of those Intake accepts or no file was staged. A hint for the adapter's
	 * judgement of the form: the worker decides what the bytes are.
	 */
	FileType sniffedType() {
		return (head.size() == 0) ? FileType.UNKNOWN
				: FileType.sniff(head.toByteArray(), filename).orElse(FileType.UNKNOWN);
	}

	/** The tenant, once {@link #read} completed. */
	String tenantId() {
		return tenant;
	}

	/**
	 * The tenant, decided from the fields read so far when it is not yet; empty when they do not
	 * say yet and the form is not {@code complete}.
	 */
	private Mono<Optional<String>> tenant(boolean complete) {
		if (tenant != null) {
			return Mono.just(Optional.of(tenant));
		}
		return tenantOf.decide(Map.copyOf(fields), complete).map(decided -> {
			tenant = decided;
			return Optional.of(decided);
		})
			.switchIfEmpty(Mono.defer(() -> complete
					? Mono.error(new IllegalStateException("no tenant decided at the form's end"))
					: Mono.just(Optional.empty())));
	}

	/** Moves a file staged before its tenant was known to the tenant's key. */
	private Mono<Void> claim() {
		if (!unclaimed) {
			return Mono.empty();
		}
		String claimed = stagingKey(tenant, uploadId);
		return staged.move(key, claimed).doOnSuccess(done -> {
			key = claimed;
			unclaimed = false;
		}).onErrorMap(ex -> storageUnavailable());
	}

	long size() {
		return size;
	}

	private Mono<Void> onPart(Signal<? extends PartEvent> first, Flux<PartEvent> events) {
		if (!first.hasValue()) {
			return events.then();
		}
		PartEvent event = first.get();
		String name = event.headers().getContentDisposition().getName(); // event.name() throws without one
		if (rejection != null || name == null) {
			return drain(events);
		}
		if (name.equals(fileField)) {
			if (event instanceof FilePartEvent file) {
				return onFile(file, events);
			}
			textUnderFileField = true;
			return drain(events);
		}
		if (event instanceof FormPartEvent field && fields.putIfAbsent(name, field.value()) != null
				&& singleValued.contains(name)) {
			reject(FileRefused.repeatedField(name));
		}
		return drain(events);
	}

	private Mono<Void> onFile(FilePartEvent event, Flux<PartEvent> events) {
		if (++fileParts > 1) {
			return drain(events);
		}
		filename = DisplayNames.clean(baseName(event.filename()));
		contentType = declaredType(event);
		return tenant(false).map(decided -> {
			if (decided.isPresent()) {
				key = stagingKey(decided.get(), uploadId);
			}
			else {
				key = ObjectKeys.unclaimed(uploadId);
				unclaimed = true;
			}
			return true;
		}).onErrorResume(RuntimeException.class, ex -> {
			reject(ex);
			return Mono.just(false);
		}).flatMap(decided -> decided ? stage(events) : drain(events));
	}

	private Mono<Void> stage(Flux<PartEvent> events) {
		long limit = limits.maxImageSize().toBytes();
		// a file whose tenant is not known yet holds one of the few slots anonymous uploads may take
		Mono<UploadSlots.Slot> slotWait = unclaimed ? slots.acquireUnauthenticated(limits.uploadWaitTimeout())
				: slots.acquire(limits.uploadWaitTimeout());
		return slotWait.map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap(slot -> {
			if (slot.isEmpty()) {
				reject(FileRefused.unavailable("Too many uploads are in progress, please retry.", limits.uploadWaitTimeout()));
				return drain(events);
			}
			return staged.stage(key, contentType, events.map(buffers::take).doOnNext(this::keepHead), limit, slots,
					slot.get())
				.doOnNext(outcome -> {
					if (outcome.tooLarge()) {
						reject(new FileRefused(FileRefused.Reason.TOO_LARGE, "The file is larger than the limit of "
								+ limits.maxImageSize().toMegabytes() + " MB."));
					}
					else if (outcome.failed()) {
						reject(storageUnavailable());
					}
					else {
						size = outcome.size();
					}
				})
				.then();
		});
	}

	/** Copies what the buffer holds of the file's first {@link FileType#HEAD} bytes, leaving it unread. */
	private void keepHead(DataBuffer buffer) {
		int wanted = Math.min(FileType.HEAD - head.size(), buffer.readableByteCount());
		for (int i = 0; i < wanted; i++) {
			head.write(buffer.getByte(buffer.readPosition() + i));
		}
	}

	/** Reads and discards a part; past the budget after a rejection, stops reading altogether. */
	private Mono<Void> drain(Flux<PartEvent> events) {
		return events.map(event -> {
			int bytes = event.content().readableByteCount();
			buffers.release(event);
			if (rejection != null) {
				drained += bytes;
				if (drained > limits.maxDrainSize().toBytes()) {
					throw rejection;
				}
			}
			return bytes;
		}).then();
	}

	private void reject(RuntimeException refused) {
		if (rejection == null) {
			rejection = refused;
		}
	}

	private Throwable explain(Throwable ex) {
		if (ex instanceof FileRefused) {
			return ex;
		}
		if (rejection != null) {
			return rejection;
		}
		if (ex instanceof DataBufferLimitException limit) {
			return new FileRefused(FileRefused.Reason.TOO_LARGE, ReaderErrors.limitPassed(limit, limits));
		}
		if (ReaderErrors.malformed(ex)) {
			return new FileRefused(FileRefused.Reason.MALFORMED, "The multipart form is malformed.");
		}
		if (ex instanceof ApiProblem problem && problem.status().is4xxClientError()) {
			// the body's own limits (too slow, over the tenant's bytes per minute): the client's doing
			return problem;
		}
		if (ex instanceof ApiProblem) {
			// the staging area's "storage unavailable" (StagedObjects#stored)
			return storageUnavailable();
		}
		return ex;
	}

	private static FileRefused storageUnavailable() {
		return FileRefused.unavailable("File storage is temporarily unavailable, please retry.", Duration.ofSeconds(1));
	}

	/** The canonical type of a declared image or document type; a client's own string never reaches storage. */
	private static String declaredType(PartEvent event) {
		try {
			MediaType type = event.headers().getContentType();
			if (type == null) {
				return MediaType.APPLICATION_OCTET_STREAM_VALUE;
			}
			String declared = (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT);
			for (ImageFormat format : ImageFormat.values()) {
				if (format.contentType().equals(declared)) {
					return format.contentType();
				}
			}
			return DocumentFormat.forContentType(declared)
				.map(DocumentFormat::contentType)
				.orElse(MediaType.APPLICATION_OCTET_STREAM_VALUE);
		}
		catch (InvalidMediaTypeException ex) {
			return MediaType.APPLICATION_OCTET_STREAM_VALUE;
		}
	}

	private static String baseName(String filename) {
		if (filename == null) {
			return "";
		}
		int slash = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
		return filename.substring(slash + 1);
	}

	static String stagingKey(String tenant, String uploadId) {
		return ObjectKeys.upload(Instant.now(), tenant, uploadId, 0);
	}


}
