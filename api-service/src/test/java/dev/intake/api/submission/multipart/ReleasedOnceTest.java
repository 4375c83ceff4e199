package dev.intake.api.submission.multipart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.intake.api.TestServers;
import dev.intake.api.error.ApiProblem;
import dev.intake.api.staging.ConnectionThread;
import dev.intake.api.staging.MemoryStagingStore;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.spool.PartSpools;
import dev.intake.api.submission.spool.SpoolBudget;
import dev.intake.api.submission.upload.UploadForm.AcceptedUpload;
import dev.intake.api.submission.upload.UploadProperties;
import dev.intake.api.submission.zip.ArchiveThreads;
import dev.intake.contracts.SubmittedItem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerCodecConfigurer;

import software.amazon.awssdk.services.s3.S3AsyncClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The batch upload's form releases every buffer of its body exactly once, also when the body is
 * cut off in the middle of a file or an archive (as the body deadline does) and when an archive is
 * refused ({@link NetworkReads}).
 */
@Timeout(60)
class ReleasedOnceTest {

	private static ArchiveThreads threads;

	@BeforeAll
	static void start() {
		threads = new ArchiveThreads(1, 4, 64 * 1024);
	}

	@AfterAll
	static void stop() {
		threads.dispose();
	}

	@Test
	void aBodyCutOffInAFileReleasesEachBufferOnce() {
		NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", "a.png", 60_000), 1500);
		assertThat(catchThrowable(() -> upload(reads.cutOffBody()))).isInstanceOf(ApiProblem.class);
		reads.assertReleasedOnce();
	}

	@Test
	void aBodyCutOffInAnArchiveReleasesEachBufferOnce() {
		NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", "set.zip", 60_000), 1500);
		assertThat(catchThrowable(() -> upload(reads.cutOffBody()))).isInstanceOf(ApiProblem.class);
		reads.assertReleasedOnce();
	}

	@Test
	void aBodyArrivingOverTimeAndCutOffReleasesEachBufferOnce() {
		for (String file : new String[] { "a.png", "set.zip" }) {
			NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", file, 20_000)
					+ NetworkReads.filePart("files", "b-" + file, 60_000), 1500);
			assertThat(catchThrowable(() -> upload(Flux.concat(reads.body().delayElements(Duration.ofMillis(1)),
					Flux.error(NetworkReads.cutOff()))))).isInstanceOf(ApiProblem.class);
			reads.assertReleasedOnce();
		}
	}

	/**
	 * The archive is expanded on its own thread, behind the network, while Spring's reader parses the
	 * parts after it: the archive part must be taken at network speed (spooled), else the reader holds
	 * the next part's buffers in a window the cut drops unreleased (every read after the archive kept
	 * a reference). The body arrives on a "connection" thread, as on a server, and the archive's
	 * outcome is signalled on it ({@link ConnectionThread}): the part after the archive is taken there.
	 */
	@Test
	void aBodyCutOffWhileAnArchiveIsReadBehindTheNetworkReleasesEachBufferOnce() {
		cutOffOnAConnectionThread("set.zip", threads, new UploadSlots(2));
	}

	/** The same with a spool of 1 KB of heap: the archive part goes to a file. */
	@Test
	void aBodyCutOffWhileAnArchiveIsSpooledToAFileReleasesEachBufferOnce(@TempDir Path spools) throws Exception {
		ArchiveThreads spilling = spilling(spools, new SpoolBudget(Long.MAX_VALUE));
		try {
			cutOffOnAConnectionThread("set.zip", spilling, new UploadSlots(2));
		}
		finally {
			spilling.dispose();
		}
		assertSpoolsFreed(spools, null);
	}

	/**
	 * A file waiting for an upload slot (every slot busy) is taken into a spool meanwhile: left
	 * untaken, Spring's reader held the next part's buffers in a window the cut drops (every read
	 * after the file kept a reference, every run).
	 */
	@Test
	void aBodyCutOffWhileAFileWaitsForAnUploadSlotReleasesEachBufferOnce() {
		UploadSlots slots = new UploadSlots(1);
		UploadSlots.Slot busy = slots.acquire(Duration.ofSeconds(1)).block();
		try {
			cutOffOnAConnectionThread("a.png", threads, slots);
		}
		finally {
			busy.release();
		}
	}

	/**
	 * Files that find every upload slot busy, one after another: each is spooled while the request
	 * goes on with the next part, all are staged once a slot frees (the request waits for them at
	 * its end), and they keep their order in the batch.
	 */
	@Test
	void filesWaitingForAnUploadSlotOneAfterAnotherKeepTheirOrder() throws Exception {
		UploadSlots slots = new UploadSlots(1);
		UploadSlots.Slot busy = slots.acquire(Duration.ofSeconds(1)).block();
		NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", "a.png", 20_000)
				+ NetworkReads.filePart("files", "b.png", 60_000) + NetworkReads.filePart("files", "c.png", 30_000)
				+ NetworkReads.end(), 1500);
		AtomicInteger taken = new AtomicInteger();
		Flux<DataBuffer> body = reads.body().doOnNext(read -> taken.incrementAndGet());
		CompletableFuture<AcceptedUpload> upload = CompletableFuture.supplyAsync(() -> upload(body,
				new StagingArea(new MemoryStagingStore("released-once"), FuzzedUploads.RETRY_BUFFERS), threads, slots,
				Context.empty()));
		try {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
			while (taken.get() < reads.count() && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(taken).as("network reads taken while every slot is busy").hasValue(reads.count());
			assertThat(upload).as("the request waits for its files' staging").isNotDone();
		}
		finally {
			busy.release();
		}
		assertThat(upload.get(20, TimeUnit.SECONDS).items()).extracting(SubmittedItem::name)
			.containsExactly("a.png", "b.png", "c.png");
		reads.assertReleasedOnce();
	}

	/**
	 * A file that waited for an upload slot is taken into its spool meanwhile (here past 1 KB of heap,
	 * into a file) and staged from there, byte for byte, once the slot is free; the spool is freed.
	 */
	@Test
	void aFileThatWaitedForAnUploadSlotIsStagedFromItsSpool(@TempDir Path spools) throws Exception {
		SpoolBudget disk = new SpoolBudget(Long.MAX_VALUE);
		ArchiveThreads spilling = spilling(spools, disk);
		UploadSlots slots = new UploadSlots(1);
		UploadSlots.Slot busy = slots.acquire(Duration.ofSeconds(1)).block();
		MemoryStagingStore store = new MemoryStagingStore("released-once");
		List<String> staged = new ArrayList<>();
		NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", "a.png", 20_000)
				+ NetworkReads.filePart("files", "b.png", 30_000) + NetworkReads.end(), 1500);
		try {
			Schedulers.parallel().schedule(busy::release, 300, TimeUnit.MILLISECONDS);
			AcceptedUpload accepted = upload(reads.body(), new StagingArea(store, FuzzedUploads.RETRY_BUFFERS),
					spilling, slots, FuzzedUploads.LIMITS, Context.empty(), () -> store.objects()
						.values()
						.forEach(object -> staged.add(new String(object.bytes(), StandardCharsets.ISO_8859_1))));
			assertThat(accepted.items()).hasSize(2);
		}
		finally {
			spilling.dispose();
		}
		assertThat(staged).as("staged bytes").containsExactlyInAnyOrder("x".repeat(20_000), "x".repeat(30_000));
		reads.assertReleasedOnce();
		assertSpoolsFreed(spools, disk);
	}

	/** No slot frees up within the wait: busy (503); the spooled part is released and freed. */
	@Test
	void aFileWhoseUploadSlotNeverFreesUpIsBusy(@TempDir Path spools) throws Exception {
		SpoolBudget disk = new SpoolBudget(Long.MAX_VALUE);
		ArchiveThreads spilling = spilling(spools, disk);
		UploadSlots slots = new UploadSlots(1);
		UploadSlots.Slot busy = slots.acquire(Duration.ofSeconds(1)).block();
		UploadProperties limits = FuzzedUploads.LIMITS;
		UploadProperties shortWait = new UploadProperties(limits.maxImages(), limits.maxImageSize(),
				limits.maxConcurrentUploads(), Duration.ofMillis(200), limits.maxPartSize(), limits.maxFormFieldSize(),
				limits.maxPartHeaderSize(), limits.maxDrainSize(), limits.maxBufferedUploads(),
				limits.maxUnauthenticatedUploads());
		NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", "a.png", 20_000)
				+ NetworkReads.filePart("files", "b.png", 30_000) + NetworkReads.end(), 1500);
		try {
			Throwable failure = catchThrowable(() -> upload(reads.body(),
					new StagingArea(new MemoryStagingStore("released-once"), FuzzedUploads.RETRY_BUFFERS), spilling,
					slots, shortWait, Context.empty(), () -> {
					}));
			assertThat(failure).isInstanceOf(ApiProblem.class);
			assertThat(((ApiProblem) failure).status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		}
		finally {
			busy.release();
			spilling.dispose();
		}
		reads.assertReleasedOnce();
		assertSpoolsFreed(spools, disk);
	}

	/** A waiting file past the spools' disk limit: busy (503), as an archive. */
	@Test
	void aFileWaitingForAnUploadSlotPastTheSpoolsDiskLimitIsBusy(@TempDir Path spools) throws Exception {
		ArchiveThreads full = spilling(spools, new SpoolBudget(4096));
		UploadSlots slots = new UploadSlots(1);
		UploadSlots.Slot busy = slots.acquire(Duration.ofSeconds(1)).block();
		MemoryStagingStore store = new MemoryStagingStore("released-once");
		NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", "a.png", 20_000)
				+ NetworkReads.filePart("files", "b.png", 30_000) + NetworkReads.end(), 1500);
		try {
			Schedulers.parallel().schedule(busy::release, 300, TimeUnit.MILLISECONDS);
			Throwable failure = catchThrowable(() -> upload(reads.body(),
					new StagingArea(store, FuzzedUploads.RETRY_BUFFERS), full, slots, FuzzedUploads.LIMITS,
					Context.empty(), () -> {
					}));
			assertThat(failure).isInstanceOf(ApiProblem.class);
			assertThat(((ApiProblem) failure).status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		}
		finally {
			full.dispose();
		}
		assertThat(store.objects()).isEmpty();
		reads.assertReleasedOnce();
		assertSpoolsFreed(spools, null);
	}

	/**
	 * A part {@code first}, then a file, cut off; the body arrives on a "connection" thread whose
	 * executor is in the context, as on a server.
	 */
	private static void cutOffOnAConnectionThread(String first, ArchiveThreads threads, UploadSlots slots) {
		Thread[] loopThread = new Thread[1];
		ScheduledExecutorService loop = Executors
			.newSingleThreadScheduledExecutor(task -> loopThread[0] = new Thread(task, "connection"));
		Executor onLoop = task -> {
			if (Thread.currentThread() == loopThread[0]) {
				task.run();
			}
			else {
				loop.execute(task);
			}
		};
		try {
			NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", first, 20_000)
					+ NetworkReads.filePart("files", "b.png", 60_000), 1500);
			Flux<DataBuffer> body = Flux.concat(reads.body().publishOn(Schedulers.fromExecutorService(loop), 1),
					Flux.error(NetworkReads.cutOff()));
			assertThat(catchThrowable(() -> upload(body,
					new StagingArea(new MemoryStagingStore("released-once"), FuzzedUploads.RETRY_BUFFERS), threads,
					slots, Context.of(ConnectionThread.KEY, onLoop))))
				.isInstanceOf(ApiProblem.class);
			reads.assertReleasedOnce();
		}
		finally {
			loop.shutdownNow();
		}
	}

	/** The archive's expansion is queued behind other requests' and never starts. */
	@Test
	void anArchiveWaitingForItsThreadWhenTheBodyIsCutOffReleasesEachBufferOnce() throws Exception {
		ArchiveThreads one = new ArchiveThreads(1, 4, 64 * 1024);
		CountDownLatch busy = new CountDownLatch(1);
		try {
			one.expanders().schedule(() -> {
				try {
					busy.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", "set.zip", 60_000), 1500);
			assertThat(catchThrowable(() -> upload(reads.cutOffBody(),
					new StagingArea(new MemoryStagingStore("released-once"), FuzzedUploads.RETRY_BUFFERS), one)))
				.isInstanceOf(ApiProblem.class);
			reads.assertReleasedOnce();
		}
		finally {
			busy.countDown();
			one.dispose();
		}
	}

	@Test
	void aRefusedArchiveReleasesEachBufferOnce() {
		NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", "set.zip", 60_000) + NetworkReads.end(),
				1500);
		assertThat(catchThrowable(() -> upload(reads.body()))).isInstanceOf(ApiProblem.class)
			.hasMessageContaining("ZIP");
		reads.assertReleasedOnce();
	}

	@Test
	void aTextFieldOverItsLimitReleasesEachBufferOnce() {
		NetworkReads reads = new NetworkReads(textField("batch_id", 70_000)
				+ NetworkReads.filePart("files", "a.png", 20_000) + NetworkReads.end(), 1500);
		assertThat(catchThrowable(() -> upload(reads.body()))).isInstanceOf(ApiProblem.class);
		reads.assertReleasedOnce();
	}

	static String textField(String name, int size) {
		return "--" + NetworkReads.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
				+ "a".repeat(size) + "\r\n";
	}

	@Test
	void aWholeBodyReleasesEachBufferOnce() {
		NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", "a.png", 60_000) + NetworkReads.end(),
				1500);
		assertThat(upload(reads.body()).items()).hasSize(1);
		reads.assertReleasedOnce();
	}

	/**
	 * As on a server: the body arrives over time on one connection thread, and demand and
	 * cancellation of the S3 uploads are signalled on it ({@link ConnectionThread}). While the first
	 * file is still uploading, the second part's window waits unread with its first events; the cut
	 * drops it (before it was read out, about every other run left its two reads with a reference).
	 */
	@Test
	void aBodyCutOffWhileStagingOnS3ReleasesEachBufferOnce() {
		S3AsyncClient s3 = TestServers.s3Async();
		Thread[] loopThread = new Thread[1];
		ScheduledExecutorService loop = Executors
			.newSingleThreadScheduledExecutor(task -> loopThread[0] = new Thread(task, "connection"));
		Executor onLoop = task -> {
			if (Thread.currentThread() == loopThread[0]) {
				task.run();
			}
			else {
				loop.execute(task);
			}
		};
		try {
			s3.createBucket(create -> create.bucket("released-once")).exceptionally(ex -> null).join();
			for (String file : new String[] { "a.png", "set.zip" }) {
				NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", file, 20_000)
						+ NetworkReads.filePart("files", "b-" + file, 60_000), 1500);
				Flux<DataBuffer> body = Flux.concat(
						reads.body().delayElements(Duration.ofMillis(1), Schedulers.fromExecutorService(loop)),
						Flux.error(NetworkReads.cutOff()));
				assertThat(catchThrowable(() -> upload(body,
						new StagingArea(s3, "released-once", FuzzedUploads.RETRY_BUFFERS), threads,
						Context.of(ConnectionThread.KEY, onLoop))))
					.isInstanceOf(ApiProblem.class);
				reads.assertReleasedOnce(file);
			}
		}
		finally {
			loop.shutdownNow();
			s3.close();
		}
	}

	private static AcceptedUpload upload(Flux<DataBuffer> body) {
		return upload(body, new StagingArea(new MemoryStagingStore("released-once"), FuzzedUploads.RETRY_BUFFERS));
	}

	private static AcceptedUpload upload(Flux<DataBuffer> body, StagingArea staging) {
		return upload(body, staging, threads);
	}

	private static AcceptedUpload upload(Flux<DataBuffer> body, StagingArea staging, ArchiveThreads threads) {
		return upload(body, staging, threads, Context.empty());
	}

	private static AcceptedUpload upload(Flux<DataBuffer> body, StagingArea staging, ArchiveThreads threads,
			Context context) {
		return upload(body, staging, threads, new UploadSlots(2), context);
	}

	private static AcceptedUpload upload(Flux<DataBuffer> body, StagingArea staging, ArchiveThreads threads,
			UploadSlots slots, Context context) {
		return upload(body, staging, threads, slots, FuzzedUploads.LIMITS, context, () -> {
		});
	}

	/** The upload, {@code beforeDiscard} run once it has settled, before what it staged is deleted. */
	private static AcceptedUpload upload(Flux<DataBuffer> body, StagingArea staging, ArchiveThreads threads,
			UploadSlots slots, UploadProperties limits, Context context, Runnable beforeDiscard) {
		ServerCodecConfigurer codecs = ServerCodecConfigurer.create();
		new MultipartLimits(limits).customize(codecs);
		MultipartUpload upload = new MultipartUpload("t", "u", "b", limits, staging, slots, threads);
		try {
			return upload.read(NetworkReads.events(NetworkReads.formRequest("/v1/batch-upload/submit-with-files", body),
					NetworkReads.reader(codecs)))
				.contextWrite(context)
				.block(Duration.ofSeconds(20));
		}
		finally {
			beforeDiscard.run();
			upload.discard().block(Duration.ofSeconds(20));
		}
	}

	/** Archive threads whose spools write past 1 KB of each part to files in {@code spools}. */
	private static ArchiveThreads spilling(Path spools, SpoolBudget disk) {
		return new ArchiveThreads(1, 4, 64 * 1024, new PartSpools(1024, new SpoolBudget(Long.MAX_VALUE), spools, disk));
	}

	/** No spool file is left in {@code spools}, and {@code disk} (if given) is all given back. */
	private static void assertSpoolsFreed(Path spools, SpoolBudget disk) throws IOException {
		if (disk != null) {
			assertThat(disk.taken()).isZero();
		}
		try (Stream<Path> left = Files.list(spools)) {
			assertThat(left).isEmpty();
		}
	}

}
