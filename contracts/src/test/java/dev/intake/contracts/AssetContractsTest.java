package dev.intake.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AssetContractsTest {

	@Test
	void anAssetRoundTripsWithItsDocumentFile() {
		StoredImage pdf = new StoredImage("intake", ObjectKeys.document("local", "ab", DocumentFormat.PDF), 519,
				"application/pdf", null, "m", "ab", 0, 0, 1, List.of(), false, DocumentFormat.PDF);
		Asset asset = new Asset("local", 42, "anqicms", Map.of("category_id", "1"), "report.pdf", pdf,
				Instant.parse("2026-01-02T03:04:05Z"), Instant.parse("2026-01-02T03:04:05Z"), 1, "asset-42");

		byte[] bytes = Topics.ASSETS.valueSerde().serializer().serialize("t", asset);

		assertThat(Topics.ASSETS.valueSerde().deserializer().deserialize("t", bytes)).isEqualTo(asset);
		assertThat(pdf.isImage()).isFalse();
		assertThat(pdf.frames()).isZero();
		assertThat(asset.key()).isEqualTo("local/42");
		assertThat(pdf.key()).isEqualTo("files/local/ab.pdf");
	}

	@Test
	void onlyAClientsSingleFileUploadIsAwaited() {
		ItemSource staged = new ItemSource.Staged(new BlobRef("b", "uploads/k", 3, "image/png"), "a.png");
		AssetLink link = new AssetLink(7, false, "anqicms", Map.of());
		SubmittedItem asset = new SubmittedItem(0, "t/b/0", "a.png", staged, null, null, link);
		SubmittedItem plain = new SubmittedItem(0, "t/b/0", "a.png", staged);
		Instant now = Instant.now();

		assertThat(new BatchSubmitted("t", "b", now, List.of(asset)).awaited()).isTrue();
		assertThat(new BatchSubmitted("t", "b", now, List.of(asset), true).awaited()).as("internal").isFalse();
		assertThat(new BatchSubmitted("t", "b", now, List.of(plain)).awaited()).as("a batch of one").isFalse();
		assertThat(new BatchSubmitted("t", "b", now, List.of(asset, plain)).awaited()).isFalse();
		assertThat(Topics.BATCHES.valueSerde().serializer().serialize("t", new BatchSubmitted("t", "b", now, List.of(asset))))
			.asString().doesNotContain("awaited");
	}

	@Test
	void jobsWithoutOptionsGetTheDefaults() {
		String json = "{\"tenant\":\"local\",\"batchId\":\"b\",\"itemId\":\"local/b/0\",\"index\":0,\"name\":\"a.png\","
				+ "\"source\":{\"kind\":\"url\",\"url\":\"https://x/a.png\"},\"attempt\":1}";

		IngestImage job = Topics.JOBS.valueSerde().deserializer().deserialize("t", json.getBytes());

		assertThat(job.options()).isEqualTo(IngestOptions.DEFAULT);
	}

	@Test
	void assetIdsAreOffsetsPlusOneBelowTwoToThe53() {
		assertThat(AssetIds.fromOffset(0)).isEqualTo(1);
		assertThat(AssetIds.fromOffset(AssetIds.MAX - 1)).isEqualTo(AssetIds.MAX);
		assertThatIllegalArgumentException().isThrownBy(() -> AssetIds.fromOffset(AssetIds.MAX));
		assertThatIllegalArgumentException().isThrownBy(() -> AssetIds.fromOffset(-1));
	}

	@Test
	void documentFormatsAreFoundByExtensionAndType() {
		assertThat(DocumentFormat.forExtension("DOCX")).contains(DocumentFormat.DOCX);
		assertThat(DocumentFormat.forContentType("application/pdf; charset=binary")).contains(DocumentFormat.PDF);
		assertThat(DocumentFormat.forExtension("exe")).isEmpty();
	}

}
