package dev.intake.api.submission.json;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.intake.api.error.ApiProblem;
import dev.intake.api.staging.StagedObjects;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.SubmitProperties;
import dev.intake.api.submission.json.SubmitEvent.Body;
import dev.intake.api.submission.json.SubmitEvent.DataChunk;
import dev.intake.api.submission.json.SubmitEvent.DataEnd;
import dev.intake.api.submission.json.SubmitEvent.DataStart;
import dev.intake.api.submission.json.SubmitEvent.Item;
import dev.intake.api.submission.upload.DiscardScope;
import dev.intake.api.submission.upload.UploadForm.AcceptedUpload;
import dev.intake.api.submission.upload.UploadMessages;
import dev.intake.api.submission.upload.UploadProperties;
import dev.intake.contracts.ObjectKeys;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;

/**
 * One JSON submit being read. The body is scanned as it arrives; each Base64 value is decoded and
 * streamed to the staging area while it is still arriving (one at a time, holding a staging slot),
 * URL items are only checked. After the first problem nothing more is staged and the rest of the
 * body is read and discarded (up to a budget) so the client receives the answer.
 */
public final class JsonUpload {

	private final String tenant;

	/** The batch id when the request names none. */
	private final String defaultBatchId;

	private final String uploadId;

	/** When the request began: its uploads are filed under that hour. */
	private final Instant startedAt = Instant.now();

	private final UploadProperties limits;

	private final StagingArea staging;

	private final UploadSlots slots;

	private final JsonScanner scanner;

	private final SubmitRequestParser parser;

	private final JsonItems items;

	private final long maxRequestSize;

	private final StagedObjects staged;

	private final Map<Integer, JsonItems.StagedData> stagedData = new ConcurrentHashMap<>();

	private final AtomicReference<ApiProblem> rejection = new AtomicReference<>();

	private byte[] scratch = new byte[0];

	private long received;

	private long drained;

	private Body body;

	public JsonUpload(String tenant, String uploadId, String defaultBatchId, UploadProperties limits, SubmitProperties submit,
			StagingArea staging, UploadSlots slots) {
		this.tenant = tenant;
		this.uploadId = uploadId;
		this.defaultBatchId = defaultBatchId;
		this.limits = limits;
		this.staging = staging;
		this.slots = slots;
		this.staged = new StagedObjects(staging);
		this.parser = new SubmitRequestParser(limits.maxImages(), limits.maxImageSize().toBytes());
		this.scanner = new JsonScanner(parser, submit.maxDepth(), Math.toIntExact(submit.maxStringSize().toBytes()));
		this.items = new JsonItems(limits.maxImageSize().toBytes(), submit.maxUrlLength());
		this.maxRequestSize = submit.maxRequestSize().toBytes();
	}

	/** Reads the whole body; emits the accepted batch, or an {@link ApiProblem}. */
	public Mono<AcceptedUpload> read(Flux<DataBuffer> content) {
		// map, not concatMapIterable(feed): feed releases each buffer, and an operator that
		// discards its input when the mapper throws would release it a second time; one buffer
		// at a time, so memory does not grow with the body
		return DiscardScope.own(content.map(this::feed)
			.concatMapIterable(events -> events, 1)
			.concatWith(Flux.defer(() -> Flux.fromIterable(endOfBody())))
			.windowUntil(event -> !(event instanceof DataStart || event instanceof DataChunk), false, 1)
			.concatMap(segment -> segment.switchOnFirst(this::onSegment), 1)
			.then(Mono.defer(() -> (rejection.get() == null) ? staged.stored() : Mono.empty()))
			.then(Mono.fromCallable(this::finish))
			.onErrorMap(this::explain)
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release));
	}

	/** Deletes whatever this upload staged, once its uploads have settled. Best effort. */
	public Mono<Void> discard() {
		return staged.discard();
	}

	private List<SubmitEvent> feed(DataBuffer buffer) {
		int count = buffer.readableByteCount();
		if (scratch.length < count) {
			scratch = new byte[count];
		}
		buffer.read(scratch, 0, count);
		DataBufferUtils.release(buffer);
		received += count;
		ApiProblem problem = rejection.get();
		if (problem != null) {
			drained += count;
			if (drained > limits.maxDrainSize().toBytes()) {
				throw problem;
			}
			return List.of();
		}
		try {
			if (received > maxRequestSize) {
				throw SubmitMessages.bodyTooLarge(maxRequestSize);
			}
			scanner.feed(scratch, 0, count);
		}
		catch (ApiProblem ex) {
			reject(ex);
		}
		return parser.takeEvents();
	}

	private List<SubmitEvent> endOfBody() {
		if (rejection.get() == null) {
			try {
				scanner.end();
			}
			catch (ApiProblem ex) {
				reject(ex);
			}
		}
		return parser.takeEvents();
	}

	private Mono<Void> onSegment(Signal<? extends SubmitEvent> first, Flux<SubmitEvent> events) {
		if (!first.hasValue() || rejection.get() != null) {
			return events.then();
		}
		SubmitEvent event = first.get();
		if (event instanceof DataStart start) {
			return onData(start, events);
		}
		try {
			if (event instanceof Item item) {
				items.add(item, stagedData.remove(item.index()));
			}
			else if (event instanceof Body done) {
				body = done;
			}
		}
		catch (ApiProblem ex) {
			reject(ex);
		}
		return events.then();
	}

	private Mono<Void> onData(DataStart start, Flux<SubmitEvent> events) {
		String key = ObjectKeys.upload(startedAt, tenant, uploadId, start.index());
		String contentType = (start.contentType() != null) ? start.contentType()
				: MediaType.APPLICATION_OCTET_STREAM_VALUE;
		AtomicReference<DataEnd> end = new AtomicReference<>();
		Flux<DataBuffer> decoded = events.handle((event, sink) -> {
			if (event instanceof DataChunk chunk) {
				sink.next(chunk.content());
			}
			else if (event instanceof DataEnd last) {
				end.set(last);
			}
		});
		return slots.acquire(limits.uploadWaitTimeout())
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap(slot -> {
				if (slot.isEmpty()) {
					reject(UploadMessages.busy());
					return events.then();
				}
				return staged.stage(key, contentType, decoded, limits.maxImageSize().toBytes(), slots, slot.get())
					.doOnNext(staged -> stagedData.put(start.index(),
							new JsonItems.StagedData(key, contentType, staged, end.get())))
					.then();
			});
	}

	private void reject(ApiProblem problem) {
		rejection.compareAndSet(null, problem);
	}

	private AcceptedUpload finish() {
		ApiProblem problem = rejection.get();
		if (problem != null) {
			throw problem;
		}
		String batchId = (body != null && body.batchId() != null) ? body.batchId() : defaultBatchId;
		return items.accept(tenant, staging.bucket(), batchId).withCallbackUrl((body != null) ? body.callbackUrl() : null);
	}

	private Throwable explain(Throwable ex) {
		if (ex instanceof ApiProblem) {
			return ex;
		}
		ApiProblem problem = rejection.get();
		return (problem != null) ? problem : ex;
	}

}
