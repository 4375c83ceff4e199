package dev.intake.cli.upload;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class MultipartBodyTest {

	@TempDir
	Path dir;

	@Test
	void theBodyHasEveryFieldItsAnnouncedLengthAndReportsTheBytesSent() throws Exception {
		byte[] big = new byte[300_000];
		for (int i = 0; i < big.length; i++) {
			big[i] = (byte) i;
		}
		Path a = Files.write(dir.resolve("a \"quoted\".png"), big);
		Path b = Files.write(dir.resolve("b.zip"), new byte[] { 9, 9 });
		UploadPlan.Batch batch = new UploadPlan.Batch(1, "shop-1", List.of(
				new UploadPlan.Part(a, big.length, 0, 1, "hero"), new UploadPlan.Part(b, 2, 0, 1, "set")));
		MultipartBody body = new MultipartBody(batch);
		AtomicLong sent = new AtomicLong();

		byte[] bytes = drain(body.publisher(sent::set, 0));

		String boundary = body.contentType().substring(body.contentType().indexOf("boundary=") + 9);
		String text = new String(bytes, StandardCharsets.ISO_8859_1);
		assertThat(bytes).hasSize((int) body.length());
		assertThat(sent.get()).isEqualTo(body.length());
		assertThat(text).contains("name=\"files\"; filename=\"a _quoted_.png\"\r\nContent-Type: image/png\r\n\r\n")
			.contains("filename=\"b.zip\"\r\nContent-Type: application/zip")
			.contains("name=\"image_names\"\r\n\r\nhero\r\n")
			.contains("name=\"image_names\"\r\n\r\nset\r\n")
			.contains("name=\"batch_id\"\r\n\r\nshop-1\r\n")
			.endsWith("--" + boundary + "--\r\n");
		int start = text.indexOf("image/png\r\n\r\n") + "image/png\r\n\r\n".length();
		assertThat(java.util.Arrays.copyOfRange(bytes, start, start + big.length)).isEqualTo(big);
	}

	private static byte[] drain(java.net.http.HttpRequest.BodyPublisher publisher) throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		CompletableFuture<Void> done = new CompletableFuture<>();
		publisher.subscribe(new Flow.Subscriber<>() {

			@Override
			public void onSubscribe(Flow.Subscription subscription) {
				subscription.request(Long.MAX_VALUE);
			}

			@Override
			public void onNext(ByteBuffer item) {
				byte[] chunk = new byte[item.remaining()];
				item.get(chunk);
				out.write(chunk, 0, chunk.length);
			}

			@Override
			public void onError(Throwable throwable) {
				done.completeExceptionally(throwable);
			}

			@Override
			public void onComplete() {
				done.complete(null);
			}
		});
		done.get(30, TimeUnit.SECONDS);
		return out.toByteArray();
	}

}
