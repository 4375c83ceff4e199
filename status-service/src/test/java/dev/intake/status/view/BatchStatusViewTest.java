package dev.intake.status.view;

import java.net.URI;
import java.util.List;

import dev.intake.contracts.ApiResponse;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.ItemIds;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.Rendition;
import dev.intake.contracts.StoredImage;
import dev.intake.status.progress.BatchProgress;
import dev.intake.status.progress.Batches;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static dev.intake.status.progress.Batches.aBatchOf;
import static dev.intake.status.progress.Batches.failed;
import static dev.intake.status.progress.Batches.progressOf;
import static dev.intake.status.progress.Batches.stored;
import static org.assertj.core.api.Assertions.assertThat;

class BatchStatusViewTest {

	private static final String SHA_1 = String.format("%064x", 1);

	private static final String SHA_3 = String.format("%064x", 3);

	private final JsonMapper json = JsonMapper.builder().build();

	private final ImageLinkProperties links = new ImageLinkProperties(URI.create("https://cdn.example.com/"));

	@Test
	void aFinishedBatchInTheSeedsFormat() {
		BatchSubmitted batch = aBatchOf(3);
		BatchProgress progress = progressOf(batch, stored(batch, 2), failed(batch, 1), stored(batch, 0));

		String body = json.writeValueAsString(ApiResponse.success(BatchStatusView.of("batch-1", progress, links)));

		assertThat(body).isEqualTo("""
				{"code":200,"message":"success","data":{"batch_id":"batch-1","total_count":3,"processed_count":3,\
				"success_count":2,"failed_count":1,"status":"TASK_SUCCEEDED","results":[\
				{"index":0,"image_name":"image-0.png","image_url":"https://cdn.example.com/images/acme/%1$s.png",\
				"status":"TASK_SUCCEEDED","image":{"format":"png","content_type":"image/png","width":640,"height":480,\
				"size":2048,"md5":"%2$s","sha256":"%1$s","frames":1,"duplicate":false,"renditions":[]},\
				"processed_at":"2026-01-06T10:00:00Z"},\
				{"index":1,"image_name":"image-1.png","status":"TASK_FAILED","error_code":"TOO_LARGE",\
				"error_message":"Image size from URL is 15.00MB, exceeds the maximum limit of 10MB.",\
				"processed_at":"2026-01-06T10:00:01Z"},\
				{"index":2,"image_name":"image-2.png","image_url":"https://cdn.example.com/images/acme/%3$s.png",\
				"status":"TASK_SUCCEEDED","image":{"format":"png","content_type":"image/png","width":640,"height":480,\
				"size":2048,"md5":"%4$s","sha256":"%3$s","frames":1,"duplicate":false,"renditions":[]},\
				"processed_at":"2026-01-06T10:00:02Z"}]}}"""
			.formatted(SHA_1, String.format("%032x", 1), SHA_3, String.format("%032x", 3)));
	}

	@Test
	void pendingItemsAreNotInTheResults() {
		BatchSubmitted batch = aBatchOf(3);
		BatchProgress progress = progressOf(batch, failed(batch, 1));

		String body = json.writeValueAsString(BatchStatusView.of("batch-1", progress, links));

		assertThat(body).startsWith("""
				{"batch_id":"batch-1","total_count":3,"processed_count":1,"success_count":0,"failed_count":1,\
				"status":"TASK_PROCESSING","results":[{"index":1,""");
		assertThat(body).doesNotContain("\"index\":0", "\"index\":2", "image_url", "null");
	}

	@Test
	void aBatchNobodyStartedIsPendingWithNoResults() {
		BatchProgress progress = progressOf(aBatchOf(2));

		String body = json.writeValueAsString(BatchStatusView.of("batch-1", progress, links));

		assertThat(body).isEqualTo("""
				{"batch_id":"batch-1","total_count":2,"processed_count":0,"success_count":0,"failed_count":0,\
				"status":"TASK_PENDING","results":[]}""");
	}

	@Test
	void anItemStoredUnderAFileServiceKeyGetsNoUrl() {
		String handle = "73e78929-1e07-4cc5-a738-b54470a7dc8c";
		BatchSubmitted batch = aBatchOf("acme", "vault-" + handle, 1);
		StoredImage version = new StoredImage("intake", ObjectKeys.vaultFile("acme", "private", handle, "png"), 2048,
				"image/png", ImageFormat.PNG, String.format("%032x", 1), SHA_1, 640, 480, 1,
				List.of(new Rendition("thumb", ObjectKeys.vaultRendition("acme", "private", handle, "thumb", "jpg"),
						"image/jpeg", 256, 192, 900)),
				false);
		BatchProgress progress = progressOf(batch, new ItemResult.ImageStored("acme", batch.batchId(),
				ItemIds.of(batch.key(), 0), 0, 1, version, Batches.NOW));

		String body = json.writeValueAsString(BatchStatusView.of(batch.batchId(), progress, links));

		assertThat(body).contains("\"status\":\"TASK_SUCCEEDED\"")
			.doesNotContain("image_url", "cdn.example.com", ObjectKeys.VAULT_PREFIX, ObjectKeys.VAULT_RENDITIONS_PREFIX);
	}

	@Test
	void imageUrlsAreTheBaseUrlAndTheObjectKey() {
		assertThat(new ImageLinkProperties(URI.create("http://127.0.0.1:8080/i/")).urlOf("images/local/abc.png"))
			.isEqualTo("http://127.0.0.1:8080/i/images/local/abc.png");
		assertThat(new ImageLinkProperties(URI.create("https://cdn.example.com/media")).urlOf("images/local/abc.png"))
			.isEqualTo("https://cdn.example.com/media/images/local/abc.png");
	}

}
