package dev.intake.api.assets;

import java.time.Duration;

import dev.intake.api.staging.MemoryStagingStore;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.StagingProperties;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.multipart.MultipartLimits;
import dev.intake.api.submission.multipart.NetworkReads;
import dev.intake.api.submission.upload.UploadProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Files staged before their credential is read (it comes after the file) take at most their own
 * share of the upload slots: past it they wait and are answered "busy", while a file whose tenant
 * is known still finds a slot.
 */
@Timeout(60)
class AnonymousUploadSlotsTest {

	private static final Duration WAIT = Duration.ofMillis(300);

	private static final UploadProperties LIMITS = new UploadProperties(5, DataSize.ofKilobytes(64), 2, WAIT,
			DataSize.ofMegabytes(1), DataSize.ofKilobytes(4), DataSize.ofKilobytes(1), DataSize.ofMegabytes(1),
			DataSize.ofMegabytes(1), 1);

	/** Decides only at the form's end, as a credential sent after the file does. */
	private static final FormTenant AFTER_THE_FILE = (fields, complete) -> complete ? Mono.just("t") : Mono.empty();

	private final UploadSlots slots = new UploadSlots(2, 0, 1);

	private final StagingArea staging = new StagingArea(new MemoryStagingStore("anonymous"),
			new StagingProperties(DataSize.ofKilobytes(1), DataSize.ofKilobytes(64)));

	@Test
	void anonymousFilesTakeOnlyTheirShareAndAFileOfAKnownTenantStillFindsASlot() {
		// an anonymous file that stops in its middle: it holds its slot
		NetworkReads stalledReads = new NetworkReads(NetworkReads.filePart("file", "slow.png", 60_000), 1500);
		Sinks.Empty<DataBuffer> cut = Sinks.empty();
		FileForm stalled = form(AFTER_THE_FILE);
		Disposable stalling = stalled.read(events(Flux.concat(stalledReads.body().take(10), cut.asMono())))
			.subscribe(done -> {
			}, error -> {
			});
		await().atMost(Duration.ofSeconds(20)).until(() -> slots.unauthenticatedInUse() == 1);
		assertThat(slots.inUse()).isEqualTo(1);

		// a second anonymous file waits for the anonymous share, not for a free slot, and is told "busy"
		FileForm anonymous = form(AFTER_THE_FILE);
		Throwable refused = catchThrowable(() -> anonymous.read(events(wholeForm().body())).block(Duration.ofSeconds(20)));
		assertThat(refused).isInstanceOfSatisfying(FileRefused.class,
				busy -> assertThat(busy.reason()).isEqualTo(FileRefused.Reason.UNAVAILABLE));
		anonymous.discard().block(Duration.ofSeconds(20));
		assertThat(slots.inUse()).isEqualTo(1);
		assertThat(slots.unauthenticatedInUse()).isEqualTo(1);

		// a file whose tenant is known takes the free slot
		FileForm known = form(FormTenant.of("t"));
		NetworkReads knownReads = wholeForm();
		assertThat(known.read(events(knownReads.body())).block(Duration.ofSeconds(20)).size()).isEqualTo(20_000);
		known.discard().block(Duration.ofSeconds(20));

		// the stalled one ends: both of its slots are free again
		stalling.dispose();
		stalled.discard().block(Duration.ofSeconds(20));
		await().atMost(Duration.ofSeconds(20)).until(() -> slots.inUse() == 0);
		assertThat(slots.unauthenticatedInUse()).isZero();

		// and the next anonymous file is staged, claimed by its tenant at the form's end
		FileForm next = form(AFTER_THE_FILE);
		assertThat(next.read(events(wholeForm().body())).block(Duration.ofSeconds(20)).tenantId()).isEqualTo("t");
		next.discard().block(Duration.ofSeconds(20));
		assertThat(slots.inUse()).isZero();
		assertThat(slots.unauthenticatedInUse()).isZero();
	}

	private static NetworkReads wholeForm() {
		return new NetworkReads(NetworkReads.filePart("file", "a.png", 20_000) + NetworkReads.end(), 1500);
	}

	private FileForm form(FormTenant tenant) {
		return new FileForm("file", tenant, "u-" + System.nanoTime(), LIMITS, staging, slots);
	}

	private static Flux<PartEvent> events(Flux<DataBuffer> body) {
		ServerCodecConfigurer codecs = ServerCodecConfigurer.create();
		new MultipartLimits(LIMITS).customize(codecs);
		return NetworkReads.events(NetworkReads.formRequest("/upload", body), NetworkReads.reader(codecs));
	}

}
