package dev.intake.local;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.NoSuchFileException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;

import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Works around a race in S3Proxy's filesystem store: a delete removes the directories it leaves
 * empty, and an upload creating its own directory under one of them at that moment fails with
 * {@link NoSuchFileException} (an S3 500). Intake does exactly that all the time: the worker
 * deletes staged objects while the api stages new uploads beside them under
 * {@code staging/{tenant}/}. The SDK cannot retry a streamed upload, so the submit failed.
 * <p>
 * A call that carries a body is tried again when it failed that way before reading any byte of
 * the body (it fails while creating its directory, before it reads); a delete is tried again
 * since deleting is idempotent. At most {@value #ATTEMPTS} attempts; anything else passes through.
 * A {@link ForwardingBlobStore}, so S3Proxy still sees the filesystem store behind it (it picks
 * its features by the store's class).
 */
final class DirectoryRaceRetries extends ForwardingBlobStore {

	private static final Log logger = LogFactory.getLog(DirectoryRaceRetries.class);

	static final int ATTEMPTS = 5;

	DirectoryRaceRetries(BlobStore delegate) {
		super(delegate);
	}

	@Override
	public PutObjectResponse putBlob(PutObjectRequest request, InputStream body) {
		CountingInputStream counted = new CountingInputStream(body);
		return retrying("putBlob", () -> super.putBlob(request, counted), ex -> unread(counted, ex));
	}

	@Override
	public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream body) {
		CountingInputStream counted = new CountingInputStream(body);
		return retrying("uploadMultipartPart", () -> super.uploadMultipartPart(upload, request, counted),
				ex -> unread(counted, ex));
	}

	@Override
	public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
		return retrying("removeBlob", () -> super.removeBlob(request),
				ex -> causedBy(ex, NoSuchFileException.class) || causedBy(ex, DirectoryNotEmptyException.class));
	}

	/** A body-carrying call that met the race before reading any byte of its body. */
	private static boolean unread(CountingInputStream body, RuntimeException ex) {
		return body.count == 0 && causedBy(ex, NoSuchFileException.class);
	}

	private static <T> T retrying(String operation, Supplier<T> call, Predicate<RuntimeException> race) {
		for (int attempt = 1;; attempt++) {
			try {
				return call.get();
			}
			catch (RuntimeException ex) {
				if (attempt >= ATTEMPTS || !race.test(ex)) {
					throw ex;
				}
				logger.debug("S3Proxy " + operation + " met a directory removed under it; trying again", ex);
			}
		}
	}

	private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
		for (Throwable next = failure; next != null; next = next.getCause()) {
			if (type.isInstance(next)) {
				return true;
			}
		}
		return false;
	}

	/** Counts the bytes read, so a retry is only made with a body nobody has read from. */
	private static final class CountingInputStream extends FilterInputStream {

		private long count;

		CountingInputStream(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws IOException {
			int b = super.read();
			if (b >= 0) {
				count++;
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = super.read(buffer, offset, length);
			if (n > 0) {
				count += n;
			}
			return n;
		}

		@Override
		public long skip(long n) throws IOException {
			long skipped = super.skip(n);
			count += skipped;
			return skipped;
		}

	}

}
