package dev.intake.api.compat.fileservice;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.intake.api.assets.FileType;
import dev.intake.api.assets.SingleFileUpload;
import dev.intake.api.error.ApiProblem;
import dev.intake.api.staging.ConnectionThread;
import dev.intake.api.staging.StagedObjects;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.multipart.PartBuffers;
import dev.intake.api.submission.multipart.ReaderErrors;
import dev.intake.api.submission.upload.BodyCutOff;
import dev.intake.api.submission.upload.DiscardScope;
import dev.intake.api.submission.upload.UploadProperties;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.util.context.Context;

import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Reads the bytes of one upload into S3 as they arrive: the one file part of a multipart form
 * (any field name; text fields are ignored) or else the raw request body. The first bytes decide
 * the type and so the object key before anything is written; bytes of a type that is not accepted
 * are never stored. No body, or zero bytes, is a placeholder: an empty object. A body that says it
 * is multipart must be a well-formed form with a file part (else a 400, nothing stored).
 */
final class FileBody {

	private static final ResolvableType PART_EVENT = ResolvableType.forClass(PartEvent.class);

	private static final String MULTIPART = "multipart/";

	/** The field name under which bytes sent without a file name are the file. */
	private static final String FILE_FIELD = "file";

	private final StagingArea storage;

	private final UploadSlots slots;

	private final UploadProperties uploads;

	private final long maxFileSize;

	private final HttpMessageReader<PartEvent> partReader;

	private final Set<String> documents;

	FileBody(StagingArea storage, UploadSlots slots, UploadProperties uploads, long maxFileSize,
			Set<String> documents, HttpMessageReader<PartEvent> partReader) {
		this.documents = Set.copyOf(documents);
		this.storage = storage;
		this.slots = slots;
		this.uploads = uploads;
		this.maxFileSize = maxFileSize;
		this.partReader = partReader;
	}

	/** Bytes stored under {@code key}; {@link #discard()} deletes them again. */
	record Stored(String key, FileType type, long size, StagedObjects objects) {

		Mono<Void> discard() {
			return objects.discard();
		}

	}

	/**
	 * Stores the request's file under the key {@code keyFor} gives its type. Errors with a
	 * {@link FileServiceErrors} problem (nothing then stays stored).
	 */
	Mono<Stored> read(ServerHttpRequest request, String name, Function<FileType, String> keyFor) {
		StagedObjects objects = new StagedObjects(storage);
		BodyCutOff cutOff = new BodyCutOff();
		Mono<Stored> stored;
		if (!declaresForm(request)) {
			stored = store(cutOff.watch(request.getBody()), name, keyFor, objects);
		}
		else if (SingleFileUpload.isMultipartForm(request) && hasBoundary(request)) {
			stored = fromForm(cutOff.watch(partReader.read(PART_EVENT, request, Map.of())), name, keyFor, objects);
		}
		else {
			// a body that says it is multipart but cannot be read as a form is not the file either
			stored = Mono.error(malformedForm());
		}
		return DiscardScope.own(stored.onErrorMap(this::explain)
			// a body cut off by the read timeout is answered now: its connection is being closed
			.onErrorResume(ex -> cutOff.failAfter(objects.discard(), ex))
			.doOnCancel(() -> objects.discard().subscribe()))
			.contextWrite(Context.of(ConnectionThread.KEY, ConnectionThread.of(request)));
	}

	/**
	 * The one file part of a form. After a refusal the rest of the form is read and dropped, up to
	 * the drain budget, so that the client receives the answer rather than a closed connection.
	 */
	private Mono<Stored> fromForm(Flux<PartEvent> parts, String name, Function<FileType, String> keyFor,
			StagedObjects objects) {
		AtomicReference<Stored> file = new AtomicReference<>();
		AtomicReference<Throwable> refusal = new AtomicReference<>();
		long[] drained = { 0 };
		PartBuffers buffers = new PartBuffers();
		return buffers.read(parts, watched -> watched.windowUntil(PartEvent::isLast, false, 1)
			.concatMap(part -> part.switchOnFirst((first, events) -> {
				// a file part under any name, or bytes sent without a file name as 'file'
				// (curl -F 'file=<a.png;type=image/png'); other parts (text, JSON metadata) are not the file
				boolean isFile = first.hasValue() && (first.get() instanceof FilePartEvent
						|| (!(first.get() instanceof FormPartEvent)
								&& FILE_FIELD.equals(first.get().headers().getContentDisposition().getName())));
				if (isFile && refusal.get() == null) {
					if (file.get() != null) {
						refusal.set(FileServiceErrors.badRequest("Send one file per request."));
					}
					else {
						return store(events.map(buffers::take), name, keyFor, objects).doOnNext(file::set)
							.onErrorResume(FileBody::isAnswer, ex -> {
								refusal.set(ex);
								return Mono.empty();
							})
							.then();
					}
				}
				// mapped to sizes so that then() has no event left to discard (and release a second time)
				return events.map(event -> {
					int bytes = event.content().readableByteCount();
					buffers.release(event);
					if (refusal.get() != null && (drained[0] += bytes) > uploads.maxDrainSize().toBytes()) {
						throw Exceptions.propagate(refusal.get());
					}
					return bytes;
				}).then();
			}), 1)
			.then())
			.then(Mono.defer(() -> {
				if (refusal.get() != null) {
					return Mono.error(refusal.get());
				}
				return Optional.ofNullable(file.get())
					.map(Mono::just)
					.orElseGet(() -> Mono.error(FileServiceErrors.badRequest(
							"The form has no file part: send the file as one (-F 'file=@…'), or no body for a placeholder.")));
			}));
	}

	/**
	 * Whether the request's body says it is multipart ({@code multipart/…}, however malformed the
	 * rest of the header): that body must be a form. Any other Content-Type, or none, is raw bytes,
	 * and so is a body declared empty ({@code Content-Length: 0}), a placeholder whatever it says.
	 */
	private static boolean declaresForm(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		String type = headers.getFirst(HttpHeaders.CONTENT_TYPE);
		return headers.getContentLength() != 0 && type != null
				&& type.strip().regionMatches(true, 0, MULTIPART, 0, MULTIPART.length());
	}

	private static boolean hasBoundary(ServerHttpRequest request) {
		String boundary = request.getHeaders().getContentType().getParameter("boundary");
		return boundary != null && !boundary.isBlank();
	}

	private static ApiProblem malformedForm() {
		return FileServiceErrors.badRequest("The multipart form is malformed.");
	}

	private static boolean isAnswer(Throwable ex) {
		return ex instanceof ApiProblem problem && problem.body() instanceof FileServiceErrors.Body;
	}

	/** Looks at the first bytes, then streams them and the rest to the key of their type. */
	private Mono<Stored> store(Flux<DataBuffer> content, String name, Function<FileType, String> keyFor,
			StagedObjects objects) {
		return Flux.defer(() -> {
			long[] seen = { 0 };
			return content.bufferUntil(buffer -> (seen[0] += buffer.readableByteCount()) >= FileType.HEAD);
		}).switchOnFirst((first, chunks) -> {
			if (first.isOnError()) {
				return Flux.error(first.getThrowable());
			}
			FileType type = typeOf(first, name);
			if (type == null) {
				return drainThen(chunks, FileServiceErrors.badRequest(
						"The file is not of an accepted type: images and " + String.join(", ", new TreeSet<>(documents)) + "."));
			}
			String key = keyFor.apply(type);
			return slots.acquire(uploads.uploadWaitTimeout())
				.switchIfEmpty(Mono.error(() -> FileServiceErrors.unavailable("Too many uploads are in progress, please retry.")))
				.flatMap(slot -> objects.stage(key, type.contentType(), chunks.concatMapIterable(Function.identity()),
						maxFileSize, slots, slot))
				.flatMap(staged -> {
					if (staged.tooLarge()) {
						return Mono.error(FileServiceErrors.of(HttpStatus.CONTENT_TOO_LARGE,
								"The file is larger than the limit of " + (maxFileSize / (1024 * 1024)) + " MB."));
					}
					if (staged.failed()) {
						return Mono.error(storageUnavailable());
					}
					return objects.stored().thenReturn(new Stored(key, type, staged.size(), objects));
				})
				.flux();
		})
			.doOnDiscard(List.class, FileBody::release)
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
			.next();
	}

	/** Reads and drops the rest of a refused file up to the drain budget, then fails with {@code refusal}. */
	private Flux<Stored> drainThen(Flux<List<DataBuffer>> chunks, ApiProblem refusal) {
		long[] drained = { 0 };
		// mapped to sizes so that thenMany() has no buffer left to discard (and release a second time)
		return chunks.concatMapIterable(Function.identity()).map(buffer -> {
			int bytes = buffer.readableByteCount();
			DataBufferUtils.release(buffer);
			if ((drained[0] += bytes) > uploads.maxDrainSize().toBytes()) {
				throw refusal;
			}
			return bytes;
		}).thenMany(Flux.error(refusal));
	}

	/** The type the first bytes show, the name's for no bytes, null when they show no accepted type. */
	private FileType typeOf(Signal<? extends List<DataBuffer>> first, String name) {
		if (!first.hasValue() || first.get().stream().allMatch(buffer -> buffer.readableByteCount() == 0)) {
			return FileType.ofName(name);
		}
		return FileType.sniff(head(first.get()), name)
			.filter(type -> type.image() || documents.contains(type.extension()))
			.orElse(null);
	}

	private static byte[] head(List<DataBuffer> buffers) {
		int size = (int) Math.min(FileType.HEAD,
				buffers.stream().mapToLong(DataBuffer::readableByteCount).sum());
		byte[] head = new byte[size];
		int at = 0;
		for (DataBuffer buffer : buffers) {
			for (int i = buffer.readPosition(); i < buffer.writePosition() && at < size; i++) {
				head[at++] = buffer.getByte(i);
			}
		}
		return head;
	}

	private static void release(List<?> chunk) {
		chunk.forEach(buffer -> DataBufferUtils.release((DataBuffer) buffer));
	}

	private Throwable explain(Throwable ex) {
		if (isAnswer(ex)) {
			return ex;
		}
		if (ex instanceof DataBufferLimitException limit) {
			return FileServiceErrors.of(HttpStatus.CONTENT_TOO_LARGE, ReaderErrors.limitPassed(limit, uploads));
		}
		if (ReaderErrors.malformed(ex)) {
			return malformedForm();
		}
		if (ex instanceof ApiProblem problem && problem.status().is4xxClientError()) {
			// the body's own limits (too slow, over the tenant's bytes per minute): the client's doing
			return problem;
		}
		if (ex instanceof ApiProblem) {
			return storageUnavailable();
		}
		return ex;
	}

	private static ApiProblem storageUnavailable() {
		return FileServiceErrors.unavailable("File storage is temporarily unavailable, please retry.");
	}

}
