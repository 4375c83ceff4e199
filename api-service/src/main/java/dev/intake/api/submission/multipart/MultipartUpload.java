package dev.intake.api.submission.multipart;

import dev.intake.api.staging.ConnectionThread;
import dev.intake.api.staging.StagedObjects;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.spool.PartSpool;
import dev.intake.api.submission.upload.StagedFile;
import dev.intake.api.submission.upload.UploadMessages;
import dev.intake.api.submission.upload.UploadProperties;
import dev.intake.api.submission.zip.ArchiveThreads;
import dev.intake.api.submission.zip.EntryStager;
import dev.intake.api.submission.zip.ZipExpansion;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.intake.api.error.ApiProblem;
import dev.intake.api.submission.upload.UploadForm;
import dev.intake.api.submission.upload.UploadForm.AcceptedUpload;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.ObjectKeys;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Signal;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;

/**
 * One multipart batch upload being read. Parts are read one after the other in arrival order:
 * each file is checked and streamed to the staging area as it arrives (a ZIP archive is expanded
 * as it arrives, see {@link ZipExpansion}), text fields are collected. A file read to its end is
 * still being stored while the next part is read, as long as its bytes fit the instance's buffer
 * budget ({@link UploadSlots#tryHoldBuffered}); the request is answered only once every upload
 * has settled. A file that finds every upload slot busy is spooled while it waits (see
 * {@link #spoolUntilSlotFree}).
 * What they mean together (names, batch id) is decided only at the end, because clients send the
 * fields in any order. After the first problem nothing more is staged; the rest of the request is
 * read and discarded (up to a budget) so the client receives the answer.
 */
public final class MultipartUpload {

	/** Bytes read from a file part's spool at a time. */
	private static final int SPOOL_READ = 64 * 1024;

	private final String tenant;

	/** The batch id when the request names none. */
	private final String defaultBatchId;

	private final String uploadId;

	/** When the request began: its uploads are filed under that hour. */
	private final Instant startedAt = Instant.now();

	private final UploadProperties limits;

	private final StagingArea staging;

	private final UploadSlots slots;

	private final StagedObjects staged;

	private final PartBuffers buffers = new PartBuffers();

	private final UploadForm form = new UploadForm();

	private final ArchiveThreads archiveThreads;

	private int fileParts;

	/** Parts the reader has begun to emit; the one its header errors concern is the next. */
	private int partsRead;

	private boolean atPartStart = true;

	/** Parts handed to {@link #onPart}, in order. */
	private int partsSeen;

	private int items;

	private ApiProblem rejection;

	private long drained;

	private StagedFile openFile;

	private int openPosition;

	/** Files that waited for an upload slot, staged in the background: settled when done or failed. */
	private final List<CompletableFuture<Void>> waitingFiles = new CopyOnWriteArrayList<>();

	private final Disposable.Composite background = Disposables.composite();

	/** Done once the last file that waited for an upload slot has one (or has given up). */
	private CompletableFuture<Void> lastWaitingFileGranted = CompletableFuture.completedFuture(null);

	public MultipartUpload(String tenant, String uploadId, String defaultBatchId, UploadProperties limits,
			StagingArea staging, UploadSlots slots, ArchiveThreads archiveThreads) {
		this.archiveThreads = archiveThreads;
		this.tenant = tenant;
		this.uploadId = uploadId;
		this.defaultBatchId = defaultBatchId;
		this.limits = limits;
		this.staging = staging;
		this.slots = slots;
		this.staged = new StagedObjects(staging);
	}

	/** Reads the whole request; emits the accepted batch, or an {@link ApiProblem}. */
	public Mono<AcceptedUpload> read(Flux<PartEvent> parts) {
		return buffers.read(parts, events -> events.doOnNext(this::count)
			// the reader parses each part's headers before emitting it: such failures concern the next part
			.onErrorMap(InvalidMediaTypeException.class, ex -> UploadMessages.partContentTypeInvalid(partsRead + 1))
			.onErrorMap(ReaderErrors::badPartHeaders, ex -> UploadMessages.partDispositionInvalid(partsRead + 1))
			.windowUntil(PartEvent::isLast, false, 1)
			.concatMap(part -> part.switchOnFirst(this::onPart), 1)
			.then(waitingFilesSettled())
			.then(Mono.defer(() -> (rejection == null) ? staged.stored() : Mono.empty()))
			.then(Mono.fromCallable(this::finish))
			.onErrorMap(this::explain)
			// a request cut off or refused stages no file still waiting for a slot
			.doFinally(signal -> {
				if (signal != SignalType.ON_COMPLETE) {
					background.dispose();
				}
			}));
	}

	/** Deletes whatever this upload staged, once its uploads have settled. Best effort. */
	public Mono<Void> discard() {
		return staged.discard();
	}

	private Mono<Void> onPart(Signal<? extends PartEvent> first, Flux<PartEvent> events) {
		if (!first.hasValue()) {
			return events.then();
		}
		PartEvent event = first.get();
		int part = ++partsSeen;
		if (rejection != null) {
			return drain(events);
		}
		String name = event.headers().getContentDisposition().getName();
		if (name == null) {
			reject(UploadMessages.unnamedPart(part));
			return drain(events);
		}
		return switch (name) {
			case "files" -> onFile(event, events);
			case "image_names" -> onField(event, events, form::addName);
			case "batch_id" -> onField(event, events, form::addBatchId);
			case "callback_url" -> onField(event, events, form::addCallbackUrl);
			default -> drain(events); // unknown fields are ignored
		};
	}

	private void count(PartEvent event) {
		if (atPartStart) {
			partsRead++;
		}
		atPartStart = event.isLast();
	}

	private Mono<Void> onField(PartEvent event, Flux<PartEvent> events, Consumer<String> values) {
		if (event instanceof FormPartEvent field) {
			values.accept(field.value());
		}
		else {
			reject(UploadMessages.notATextField(event.name()));
		}
		return drain(events);
	}

	private Mono<Void> onFile(PartEvent event, Flux<PartEvent> events) {
		int position = ++fileParts;
		String filename = StagedFile.filenameOf(event);
		String extension = ImageFormat.extensionOf(filename);
		boolean archive = "zip".equalsIgnoreCase(extension);
		if (items >= limits.maxImages()) {
			reject(UploadMessages.tooManyImages(limits.maxImages()));
		}
		else if (filename.isBlank()) {
			reject(UploadMessages.missingFilename(position));
		}
		else if (!archive && ImageFormat.forExtension(extension).isEmpty()) {
			reject(UploadMessages.unsupportedExtension(position, filename, extension));
		}
		if (rejection != null) {
			return drain(events);
		}
		if (archive) {
			return expand(position, filename, events);
		}
		int index = items++;
		StagedFile file = new StagedFile(index, filename, StagedFile.declaredTypeOf(event.headers()),
				ObjectKeys.upload(startedAt, tenant, uploadId, index), -1);
		UploadSlots.Slot slot = slots.tryAcquire();
		if (slot != null) {
			// the common case: streamed straight to the staging area
			return stage(position, file, events.map(buffers::take), slot);
		}
		return spoolUntilSlotFree(position, file, events);
	}

	/**
	 * A file part that waits for an upload slot (every slot busy) is taken into a {@link PartSpool}
	 * at network speed meanwhile, and staged from there once a slot is free, in the background: the
	 * request goes on with its next part as soon as this one has ended, and waits for the staging
	 * only at its end. A part, or the part after it, left untaken while a file waits lets Spring's
	 * reader hold the next part's buffers where a body cut off drops them unreleased (as behind an
	 * archive, see {@link #expand}). The part's end is signalled on the connection's thread
	 * ({@link ConnectionThread}), so that the next part is taken there, and so is the staging's
	 * outcome. No slot within the wait, or the spools' disk full: the request is busy (503).
	 */
	private Mono<Void> spoolUntilSlotFree(int position, StagedFile file, Flux<PartEvent> events) {
		openFile = file;
		openPosition = position;
		int place = form.reserveFile();
		return Mono.<Void>create(sink -> {
			// its context carries the request's discard hooks to the part's events
			PartSpool spool = archiveThreads.spool(sink.contextView());
			Executor signals = ConnectionThread.from(sink.contextView());
			CompletableFuture<Void> settled = new CompletableFuture<>();
			waitingFiles.add(settled);
			// this file's wait for a slot begins when the request's waiting file before it has one, as
			// when files were taken one at a time: each waits at most upload-wait-timeout for its own
			CompletableFuture<Void> turn = new CompletableFuture<>();
			CompletableFuture<Void> before = lastWaitingFileGranted;
			lastWaitingFileGranted = turn;
			AtomicBoolean granted = new AtomicBoolean();
			Disposable staging = Mono.fromFuture(before, true)
				.then(Mono.defer(() -> slots.acquire(limits.uploadWaitTimeout())))
				.switchIfEmpty(Mono.error(UploadMessages::busy))
				.doOnNext(slot -> {
					granted.set(true);
					turn.complete(null);
				})
				.doFinally(signal -> turn.complete(null))
				.flatMap(slot -> staged.stage(file.key(), file.contentType(), spooled(spool),
						limits.maxImageSize().toBytes(), slots, slot))
				.doFinally(signal -> spool.close())
				.subscribe(outcome -> signals.execute(() -> {
					takeOutcome(position, file, outcome, stored -> form.fillFile(place, stored));
					settled.complete(null);
				}), error -> signals.execute(() -> {
					Throwable problem = problemIn(error);
					reject((problem instanceof ApiProblem api) ? api : StagedObjects.storageUnavailable());
					settled.complete(null);
				}), () -> signals.execute(() -> {
					if (!settled.isDone()) {
						// ended without an outcome (never expected): the file's place stays empty, so the
						// request must not be judged as if it had been staged
						reject(StagedObjects.storageUnavailable());
					}
					settled.complete(null);
				}));
			// a staging that has its slot runs to its end (its part is whole in the spool, or failed)
			background.add(() -> {
				if (!granted.get()) {
					staging.dispose();
				}
			});
			sink.onCancel(spool::dispose);
			events.map(buffers::take)
				.doOnComplete(() -> signals.execute(sink::success))
				.doOnError(error -> signals.execute(() -> sink.error(error)))
				.subscribe(spool);
		});
	}

	/** Completes once every file that waited for an upload slot has been staged, or has failed. */
	private Mono<Void> waitingFilesSettled() {
		return Mono.defer(() -> Mono.fromFuture(CompletableFuture.allOf(waitingFiles.toArray(CompletableFuture[]::new)), true));
	}

	/** The spooled part, read on a thread that may block (until its bytes arrive); closes the spool at its end. */
	private static Flux<DataBuffer> spooled(PartSpool spool) {
		return DataBufferUtils.readInputStream(() -> spool, DefaultDataBufferFactory.sharedInstance, SPOOL_READ)
			.subscribeOn(Schedulers.boundedElastic());
	}

	/** The request's problem a spool's failure carries (its disk full: busy), else the failure itself. */
	private static Throwable problemIn(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ApiProblem problem) {
				return problem;
			}
		}
		return ex;
	}

	/**
	 * Expands a ZIP archive on an archive thread as it streams in, reading its images one by one and
	 * staging them like files (side by side while their bytes fit the buffer budget). The part is
	 * taken at network speed into a {@link PartSpool} that the expansion reads behind: a part taken
	 * slower than it arrives lets Spring's reader hold the next part's buffers where a body cut off
	 * drops them unreleased (see {@link PartSpool}). The outcome is signalled on the connection's
	 * thread ({@link ConnectionThread}): the next part is then taken there, never on the archive
	 * thread while the connection's thread hands on the body or its error (a window drained on one
	 * thread while the other cuts it off can drop an event it had taken).
	 */
	private Mono<Void> expand(int position, String filename, Flux<PartEvent> events) {
		EntryStager stager = new EntryStager(filename, limits, slots, archiveThreads.readers(),
				this::nextArchiveIndex, index -> ObjectKeys.upload(startedAt, tenant, uploadId, index), staged);
		ZipExpansion expansion = new ZipExpansion(position, filename, limits.maxDrainSize().toBytes(),
				archiveThreads.centralDirectoryLimit(), stager);
		AtomicBoolean cancelled = new AtomicBoolean();
		return Mono.<List<StagedFile>>create(sink -> {
			// its context carries the request's discard hooks to the part's events
			PartSpool spool = archiveThreads.spool(sink.contextView());
			Executor signals = ConnectionThread.from(sink.contextView());
			Disposable task;
			try {
				task = archiveThreads.expanders().schedule(() -> expandNow(expansion, spool, sink, signals, cancelled));
			}
			catch (RejectedExecutionException ex) {
				// every archive thread is busy and the queue behind them is full
				sink.error(ex);
				return;
			}
			sink.onCancel(() -> {
				cancelled.set(true);
				task.dispose();
				spool.dispose();
			});
			events.map(buffers::take).subscribe(spool);
		}).doOnNext(form::addArchive).then().onErrorResume(RejectedExecutionException.class, full -> {
			reject(UploadMessages.busy());
			return drain(events);
		}).onErrorResume(ApiProblem.class, problem -> {
			reject(problem);
			return Mono.empty();
		});
	}

	/** Runs on an archive thread: reads the spooled part and expands it; tells the outcome through {@code signals}. */
	private static void expandNow(ZipExpansion expansion, PartSpool part, MonoSink<List<StagedFile>> sink,
			Executor signals, AtomicBoolean cancelled) {
		try {
			List<StagedFile> files = expansion.expand(part);
			signals.execute(() -> sink.success(files));
		}
		catch (RuntimeException ex) {
			if (!cancelled.get()) {
				signals.execute(() -> sink.error(ex));
			} // else the request is gone (the thread was interrupted): nobody to tell
		}
		finally {
			part.close();
		}
	}

	private int nextArchiveIndex() {
		if (items >= limits.maxImages()) {
			throw UploadMessages.tooManyImages(limits.maxImages());
		}
		return items++;
	}

	private Mono<Void> stage(int position, StagedFile file, Flux<DataBuffer> content, UploadSlots.Slot slot) {
		openFile = file;
		openPosition = position;
		long limit = limits.maxImageSize().toBytes();
		return staged.stage(file.key(), file.contentType(), content, limit, slots, slot)
			.doOnNext(outcome -> {
				openFile = null;
				takeOutcome(position, file, outcome, form::addFile);
			})
			.then();
	}

	/** Takes a file's staging outcome: {@code accepted} gets the staged file, or the request is refused. */
	private void takeOutcome(int position, StagedFile file, StagingArea.Staged outcome, Consumer<StagedFile> accepted) {
		long limit = limits.maxImageSize().toBytes();
		if (outcome.tooLarge()) {
			reject(UploadMessages.imageTooLarge(position, file.filename(), outcome.size(), limit));
		}
		else if (outcome.failed()) {
			reject(UploadMessages.storageUnavailable());
		}
		else {
			accepted.accept(file.withSize(outcome.size()));
		}
	}

	/** Reads and discards a part; past the budget after a rejection, stops reading altogether. */
	private Mono<Void> drain(Flux<PartEvent> events) {
		// mapped to sizes so that then() has nothing left to discard (and release a second time)
		return events.map(event -> {
			int size = event.content().readableByteCount();
			buffers.release(event);
			if (rejection != null) {
				drained += size;
				if (drained > limits.maxDrainSize().toBytes()) {
					throw rejection;
				}
			}
			return size;
		}).then();
	}

	private void reject(ApiProblem problem) {
		if (rejection == null) {
			rejection = problem;
		}
	}

	private AcceptedUpload finish() {
		if (rejection != null) {
			throw rejection;
		}
		return form.accept(tenant, staging.bucket(), defaultBatchId);
	}

	private Throwable explain(Throwable ex) {
		if (ex instanceof ApiProblem) {
			return ex;
		}
		if (rejection != null) {
			return rejection;
		}
		String message = (ex.getMessage() != null) ? ex.getMessage() : "";
		if (ex instanceof DataBufferLimitException limit) {
			StagedFile file = openFile;
			if (message.startsWith("Part exceeded") && file != null) {
				return UploadMessages.imageFarTooLarge(openPosition, file.filename(),
						limits.maxPartSize().toBytes(), limits.maxImageSize().toBytes());
			}
			return ApiProblem.badRequest(ReaderErrors.limitPassed(limit, limits));
		}
		if (ex instanceof DecodingException) {
			return message.startsWith("Too many parts") ? UploadMessages.tooManyParts(limits.maxParts())
					: UploadMessages.malformedMultipart();
		}
		return ex;
	}

}
