package dev.intake.worker.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemResult.ImageFailed;
import dev.intake.worker.fetch.FetchException;
import dev.intake.worker.fetch.RemoteBody;
import dev.intake.worker.fetch.RemoteFetcher;

/**
 * Streams a URL item's bytes to a local file through the {@link RemoteFetcher}, counting and
 * hashing them as they arrive. A declared length over the limit fails at once; otherwise the
 * count decides, whatever {@code Content-Length} said. Refusals and lasting failures become
 * the item's failure; transient ones are thrown as {@link TransientFailure}.
 */
final class UrlDownload {

	/** The bytes now in the file, or why there are none. */
	record Outcome(DigestingCopy.Result bytes, ImageFailed failure) {
	}

	private final RemoteFetcher fetcher;

	private final long maxImageSize;

	private final Clock clock;

	UrlDownload(RemoteFetcher fetcher, long maxImageSize, Clock clock) {
		this.fetcher = fetcher;
		this.maxImageSize = maxImageSize;
		this.clock = clock;
	}

	Outcome download(IngestImage job, String url, Path file) {
		DigestingCopy.Result copy;
		try (RemoteBody body = fetcher.open(url); OutputStream out = Files.newOutputStream(file)) {
			if (body.declaredLength() > maxImageSize) {
				return failed(ItemFailures.tooLargeFromUrl(job, body.declaredLength(), maxImageSize, clock.instant()));
			}
			copy = DigestingCopy.copy(body.stream(), out, maxImageSize);
		}
		catch (FetchException ex) {
			return switch (ex.kind()) {
				case REFUSED -> failed(ItemFailures.urlRefused(job, ex.getMessage(), clock.instant()));
				case FAILED -> failed(ItemFailures.fetchFailed(job, ex.getMessage(), clock.instant()));
				case TRANSIENT -> throw new TransientFailure("fetching the URL failed: " + ex.getMessage(), ex);
			};
		}
		catch (IOException ex) {
			// timeouts, resets and broken transfers while streaming (or the local disk)
			throw new TransientFailure("reading the fetched body failed: " + ex.getMessage(), ex);
		}
		if (!copy.complete()) {
			return failed(ItemFailures.tooLargeFromUrl(job, copy.size(), maxImageSize, clock.instant()));
		}
		return new Outcome(copy, null);
	}

	private static Outcome failed(ImageFailed failure) {
		return new Outcome(null, failure);
	}

}
