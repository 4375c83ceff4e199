package dev.intake.cli.upload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The {@code multipart/form-data} body of one submit ({@code files}, {@code image_names},
 * {@code batch_id}), streamed: each file is opened only when the body reaches it and read in
 * 64 KB steps, so memory stays flat whatever the batch's size. The length is known up front
 * (sizes as planned). Every step read is reported to {@code sent}; with a rate limit, reading
 * pauses to keep to it.
 */
final class MultipartBody {

	static final Map<String, String> CONTENT_TYPES = Map.ofEntries(Map.entry("jpg", "image/jpeg"),
			Map.entry("jpeg", "image/jpeg"), Map.entry("png", "image/png"), Map.entry("gif", "image/gif"),
			Map.entry("bmp", "image/bmp"), Map.entry("webp", "image/webp"), Map.entry("svg", "image/svg+xml"),
			Map.entry("ico", "image/x-icon"), Map.entry("tif", "image/tiff"), Map.entry("tiff", "image/tiff"),
			Map.entry("zip", "application/zip"));

	private final String boundary = "intake-cli-" + UUID.randomUUID();

	private final List<Supplier<InputStream>> segments = new ArrayList<>();

	private long length;

	MultipartBody(UploadPlan.Batch batch) {
		for (UploadPlan.Part part : batch.parts()) {
			String type = CONTENT_TYPES.getOrDefault(UploadPlan.extension(part.path()), "application/octet-stream");
			text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
					+ quoted(part.filename()) + "\"\r\nContent-Type: " + type + "\r\n\r\n");
			segments.add(() -> {
				try {
					return Files.newInputStream(part.path());
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
			length += part.size();
			text("\r\n");
		}
		for (UploadPlan.Part part : batch.parts()) {
			if (part.imageName() != null) {
				field("image_names", part.imageName());
			}
		}
		if (batch.batchId() != null) {
			field("batch_id", batch.batchId());
		}
		text("--" + boundary + "--\r\n");
	}

	String contentType() {
		return "multipart/form-data; boundary=" + boundary;
	}

	long length() {
		return length;
	}

	/** A publisher of the body; {@code bytesPerSecond} 0 means no limit. */
	HttpRequest.BodyPublisher publisher(LongConsumer sent, long bytesPerSecond) {
		return HttpRequest.BodyPublishers.fromPublisher(
				HttpRequest.BodyPublishers.ofInputStream(() -> new Stream(segments.iterator(), sent, bytesPerSecond)),
				length);
	}

	private void field(String name, String value) {
		text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
	}

	private void text(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		segments.add(() -> new ByteArrayInputStream(bytes));
		length += bytes.length;
	}

	/** A file name inside a quoted header parameter: no quote, backslash or line break can end it early. */
	static String quoted(String filename) {
		return filename.replace("\\", "_").replace("\"", "_").replace("\r", "_").replace("\n", "_");
	}

	/** The segments one after another, each opened when reached and closed when read to its end. */
	private static final class Stream extends InputStream {

		private static final int STEP = 64 * 1024;

		private final Iterator<Supplier<InputStream>> rest;

		private final LongConsumer sent;

		private final long bytesPerSecond;

		private final long start = System.nanoTime();

		private InputStream current;

		private long total;

		Stream(Iterator<Supplier<InputStream>> segments, LongConsumer sent, long bytesPerSecond) {
			this.rest = segments;
			this.sent = sent;
			this.bytesPerSecond = bytesPerSecond;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
		}

		@Override
		public int read(byte[] buffer, int offset, int count) throws IOException {
			while (true) {
				if (current == null) {
					if (!rest.hasNext()) {
						return -1;
					}
					try {
						current = rest.next().get();
					}
					catch (UncheckedIOException ex) {
						throw ex.getCause();
					}
				}
				int step = bytesPerSecond > 0 ? (int) Math.max(1024, Math.min(STEP, bytesPerSecond / 10)) : STEP;
				int read = current.read(buffer, offset, Math.min(count, step));
				if (read < 0) {
					current.close();
					current = null;
					continue;
				}
				total += read;
				pace();
				sent.accept(total);
				return read;
			}
		}

		private void pace() throws IOException {
			if (bytesPerSecond <= 0) {
				return;
			}
			long due = start + total * 1_000_000_000L / bytesPerSecond;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				try {
					Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new java.io.InterruptedIOException("upload interrupted");
				}
			}
		}

		@Override
		public void close() throws IOException {
			if (current != null) {
				current.close();
				current = null;
			}
		}

	}

}
