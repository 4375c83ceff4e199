package dev.intake.worker.ingest;

import java.time.Instant;

import dev.intake.contracts.BlobRef;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemResult.ImageFailed;
import dev.intake.contracts.ItemSource;
import dev.intake.worker.fetch.FetchException;
import dev.intake.worker.imaging.Dimensions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ItemFailuresTest {

	private static final Instant NOW = Instant.parse("2026-01-06T10:00:00Z");

	private final IngestImage job = new IngestImage("acme", "b-1", "acme/b-1/1", 1, "product-2.jpg",
			new ItemSource.Staged(new BlobRef("intake", "staging/acme/u/1", 15L << 20, "image/jpeg"), "large_photo.jpg"),
			2);

	@Test
	void speaksTheSeedsWordingForSizes() {
		ImageFailed failed = ItemFailures.tooLarge(job, 15L * 1024 * 1024, 10L * 1024 * 1024, NOW);
		assertThat(failed.code()).isEqualTo("TOO_LARGE");
		assertThat(failed.message()).isEqualTo("Image size is 15.00MB, exceeds the maximum limit of 10MB.");
		assertThat(failed.attempt()).isEqualTo(2);
		assertThat(failed.index()).isEqualTo(1);
		assertThat(failed.processedAt()).isEqualTo(NOW);
	}

	@Test
	void namesTheUploadedFile() {
		assertThat(ItemFailures.unsupportedFormat(job, NOW).message())
			.isEqualTo("The file 'large_photo.jpg' is not a supported image format.");
		assertThat(ItemFailures.corrupt(job, ImageFormat.PNG, NOW).message())
			.isEqualTo("The file 'large_photo.jpg' is not a valid PNG image.");
		assertThat(ItemFailures.tooManyPixels(job, new Dimensions(30000, 30000), 50_000_000, NOW).message())
			.isEqualTo("Image dimensions are 30000x30000 (900000000 pixels), exceeds the maximum limit of 50000000 pixels.");
		assertThat(ItemFailures.sideTooLong(job, new Dimensions(20000, 10), 16384, NOW).message())
			.isEqualTo("Image dimensions are 20000x10, exceeds the maximum limit of 16384 pixels per side.");
	}

	@Test
	void quotesNamesWithoutControlCharactersAndShortened() {
		IngestImage odd = new IngestImage("acme", "b-1", "acme/b-1/0", 0, "a\nb.pdf", new ItemSource.Remote("x"), 1);
		// as the status answer names it (DisplayNames): U+FFFD for the line break, and for a bidi override
		assertThat(ItemFailures.displayName(odd)).isEqualTo("a\uFFFDb.pdf");
		IngestImage spoof = new IngestImage("acme", "b-1", "acme/b-1/0", 0, "photo\u202egnp.exe", new ItemSource.Remote("x"), 1);
		assertThat(ItemFailures.displayName(spoof)).isEqualTo("photo\uFFFDgnp.exe");
		IngestImage longName = new IngestImage("acme", "b-1", "acme/b-1/0", 0, "n".repeat(500),
				new ItemSource.Remote("x"), 1);
		assertThat(ItemFailures.displayName(longName)).hasSize(103).endsWith("...");
	}

	@Test
	void urlItemsHaveTheirOwnWording() {
		IngestImage url = new IngestImage("acme", "b-1", "acme/b-1/0", 0, "remote", new ItemSource.Remote("x"), 1);
		assertThat(ItemFailures.tooLargeFromUrl(url, 15L * 1024 * 1024, 10L * 1024 * 1024, NOW).message())
			.isEqualTo("Image size from URL is 15.00MB, exceeds the maximum limit of 10MB.");
		assertThat(ItemFailures.urlRefused(url, "port 22 is not allowed", NOW))
			.extracting(ImageFailed::code, ImageFailed::message)
			.containsExactly("URL_REFUSED", "The URL is not allowed: port 22 is not allowed.");
		assertThat(ItemFailures.fetchFailed(url, "the server answered HTTP 404", NOW))
			.extracting(ImageFailed::code, ImageFailed::message)
			.containsExactly("FETCH_FAILED", "The image could not be fetched from the URL: the server answered HTTP 404.");
		assertThat(ItemFailures.retriesExhausted(url, NOW).message()).isEqualTo(ItemFailures.URL_RETRIES_EXHAUSTED);
		assertThat(ItemFailures.retriesExhausted(job, NOW).message()).isEqualTo(ItemFailures.RETRIES_EXHAUSTED);
	}

	@Test
	void aUrlThatKeptTimingOutSaysSo() {
		IngestImage url = new IngestImage("acme", "b-1", "acme/b-1/0", 0, "remote", new ItemSource.Remote("x"), 1);
		Exception timedOut = new RuntimeException("listener failed", new TransientFailure("fetching the URL failed",
				new FetchException(FetchException.Kind.TRANSIENT, "it took longer than 30s")));

		assertThat(ItemFailures.retriesExhausted(url, timedOut, NOW))
			.extracting(ImageFailed::code, ImageFailed::message)
			.containsExactly("RETRIES_EXHAUSTED", "The image could not be fetched from the URL: it took longer than 30s "
					+ "(still failing after retries). Please try again later.");
		assertThat(ItemFailures.retriesExhausted(job, timedOut, NOW).message()).isEqualTo(ItemFailures.RETRIES_EXHAUSTED);
		assertThat(ItemFailures.retriesExhausted(url, new IllegalStateException("S3 down"), NOW).message())
			.isEqualTo(ItemFailures.URL_RETRIES_EXHAUSTED);
	}

}
