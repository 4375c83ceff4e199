package dev.intake.api.submission.multipart;

import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.StagingProperties;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.upload.UploadForm.AcceptedUpload;
import dev.intake.api.submission.upload.UploadProperties;
import dev.intake.api.submission.zip.ArchiveThreads;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.SubmittedItem;
import reactor.core.publisher.Flux;

import org.springframework.core.ResolvableType;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.util.unit.DataSize;

/**
 * The uploads of the multipart fuzz targets and of their replay on S3: a request body read by the
 * multipart reader with the service's limits, or a ZIP part, then by {@link MultipartUpload} into a
 * staging area, and how that ended ({@link Outcome}); whatever was staged is discarded before it
 * returns.
 */
final class FuzzedUploads {

	static final String BOUNDARY = "fuzz-boundary";

	static final UploadProperties LIMITS = new UploadProperties(5, DataSize.ofKilobytes(64), 2, Duration.ofSeconds(5),
			DataSize.ofMegabytes(1), DataSize.ofKilobytes(4), DataSize.ofKilobytes(1), DataSize.ofMegabytes(1),
			DataSize.ofMegabytes(1), 1);

	/**
	 * Parts up to 512 bytes are kept whole until stored, longer ones streamed, so that inputs of a
	 * few hundred bytes take both ways.
	 */
	static final StagingProperties RETRY_BUFFERS = new StagingProperties(DataSize.ofBytes(512),
			DataSize.ofKilobytes(64));

	private static final HttpMessageReader<PartEvent> reader = reader();

	private FuzzedUploads() {
	}

	/** A multipart request body as the reader parses it. */
	static Flux<PartEvent> body(byte[] body) {
		MockServerHttpRequest request = MockServerHttpRequest.post("/v1/batch-upload")
			.contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + BOUNDARY))
			.body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
		return reader.read(ResolvableType.forClass(PartEvent.class), request, Map.of());
	}

	/** One file part {@code set.zip} holding {@code archive}. */
	static Flux<PartEvent> zipPart(byte[] archive) {
		return FilePartEvent
			.create("files", "set.zip", MediaType.APPLICATION_OCTET_STREAM,
					Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(archive)))
			.cast(PartEvent.class);
	}

	/**
	 * Reads {@code parts} as upload {@code id} (its staged keys name it); {@code check} sees the
	 * accepted upload while what it staged is still there. Errors other than the answers a client
	 * gets are thrown.
	 */
	static Outcome upload(String id, Flux<PartEvent> parts, StagingArea staging, UploadSlots slots,
			ArchiveThreads threads, Consumer<AcceptedUpload> check) {
		MultipartUpload upload = new MultipartUpload("fuzz", id, "fuzz-batch", LIMITS, staging, slots, threads);
		try {
			AcceptedUpload accepted = upload.read(parts).block(Duration.ofSeconds(20));
			if (accepted == null) {
				throw new IllegalStateException("the upload ended without an answer");
			}
			check.accept(accepted);
			return new Accepted(accepted.items().stream().map(FuzzedUploads::describe).toList());
		}
		catch (ApiProblem problem) {
			return new Refused(problem.status().value(), problem.code(), problem.getMessage());
		}
		catch (DecodingException ex) {
			// the reader's own exceptions, as the error handler answers them
			return new Refused(400, 0, ex.getClass().getSimpleName());
		}
		catch (DataBufferLimitException ex) {
			return new Refused(413, 0, ex.getClass().getSimpleName());
		}
		finally {
			upload.discard().block(Duration.ofSeconds(20));
		}
	}

	/** An item as a client would see it, without the key of its upload (which names the upload). */
	private static String describe(SubmittedItem item) {
		String source = (item.source() instanceof ItemSource.Staged staged)
				? staged.filename() + " " + staged.blob().size() + " bytes " + staged.blob().contentType()
				: String.valueOf(item.source());
		return item.index() + " " + item.name() + " (" + source + ") archive=" + item.archive() + " entry="
				+ item.entry();
	}

	private static HttpMessageReader<PartEvent> reader() {
		ServerCodecConfigurer codecs = ServerCodecConfigurer.create();
		new MultipartLimits(LIMITS).customize(codecs);
		return NetworkReads.reader(codecs);
	}

	/** How an upload ended. */
	sealed interface Outcome {
	}

	/** Accepted, with its items described. */
	record Accepted(List<String> items) implements Outcome {
	}

	/** Refused with this status, code and message. */
	record Refused(int status, int code, String message) implements Outcome {
	}

}
