package dev.intake.worker.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledFuture;

import dev.intake.platform.outbound.PinnedClients;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.http.ClassicHttpResponse;

/**
 * The open body of a successful (200) fetch. The caller counts what it reads against its own
 * size limit; reads fail once the fetch's total deadline has passed (the connection is also
 * aborted then). Closing aborts the connection rather than draining what is left (a body read to
 * its end leaves its connection in the host's pool), and frees the fetch's concurrency slot.
 */
public final class RemoteBody implements AutoCloseable {

	private final PinnedClients.Lease lease;

	private final HttpGet request;

	private final ClassicHttpResponse response;

	private final ScheduledFuture<?> deadlineAbort;

	private final Runnable release;

	private final InputStream stream;

	private final long declaredLength;

	private boolean closed;

	RemoteBody(PinnedClients.Lease lease, HttpGet request, ClassicHttpResponse response,
			ScheduledFuture<?> deadlineAbort, Runnable release, long deadlineNanos) throws IOException {
		this.lease = lease;
		this.request = request;
		this.response = response;
		this.deadlineAbort = deadlineAbort;
		this.release = release;
		this.declaredLength = response.getEntity().getContentLength();
		this.stream = new DeadlineStream(response.getEntity().getContent(), deadlineNanos);
	}

	/** The length the origin declared, or -1 when it declared none; never trusted as the size. */
	public long declaredLength() {
		return declaredLength;
	}

	/** The body as it arrives (no content decoding). */
	public InputStream stream() {
		return stream;
	}

	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		deadlineAbort.cancel(false);
		// a body read to its end has already handed its connection back to the pool; anything
		// else is aborted rather than drained, as it may be endless or slow
		request.cancel();
		RemoteFetcher.closeQuietly(response);
		lease.close();
		release.run();
	}

	private static final class DeadlineStream extends InputStream {

		private final InputStream in;

		private final long deadlineNanos;

		DeadlineStream(InputStream in, long deadlineNanos) {
			this.in = in;
			this.deadlineNanos = deadlineNanos;
		}

		@Override
		public int read() throws IOException {
			checkDeadline();
			return in.read();
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			checkDeadline();
			return in.read(b, off, len);
		}

		private void checkDeadline() throws SocketTimeoutException {
			if (System.nanoTime() - deadlineNanos > 0) {
				throw new SocketTimeoutException("the fetch took longer than its total deadline");
			}
		}

	}

}
