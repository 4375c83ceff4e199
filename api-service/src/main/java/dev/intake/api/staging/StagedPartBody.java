package dev.intake.api.staging;

import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Relays one multipart file part to an S3 upload with the upload's own demand, copying each network
 * buffer into a {@link ByteBuffer} and releasing it, so nothing is aggregated. Bytes are counted as
 * they pass: past the limit, the upload is failed (so S3 aborts it) and the rest of the part is
 * read and discarded, still counted, so the caller learns the real size. The part is always read to
 * its end, whatever happens to the upload, so the next part of the request can follow.
 */
final class StagedPartBody implements CoreSubscriber<DataBuffer>, Publisher<ByteBuffer>, Subscription {

	private final long limit;

	private final Context context;

	/** Where demand and cancellation are signalled upstream (see {@link ConnectionThread}). */
	private final Executor signals;

	private final Operators.DeferredSubscription upstream = new Operators.DeferredSubscription();

	private final AtomicBoolean subscribed = new AtomicBoolean();

	private final AtomicBoolean stopped = new AtomicBoolean();

	private final Sinks.One<Long> size = Sinks.one();

	private volatile CoreSubscriber<? super ByteBuffer> downstream;

	private final Object handshake = new Object();

	private Throwable pendingError;

	private boolean pendingComplete;

	private volatile boolean exceeded;

	private long received;

	StagedPartBody(long limit, Context context) {
		this.limit = limit;
		this.context = context;
		this.signals = ConnectionThread.from(context);
	}

	/** The part's size once it has been read to its end (or the error that ended the part). */
	Mono<Long> size() {
		return this.size.asMono();
	}

	/** Whether the part turned out larger than the limit. */
	boolean exceeded() {
		return this.exceeded;
	}

	/** The upload ended (well or not): read whatever is left of the part without relaying it. */
	void uploadSettled() {
		stop(null);
	}

	/** Nobody waits for this part any more: fail the upload and stop reading. */
	void abandon() {
		if (stop(new CancellationException("upload abandoned"))) {
			this.signals.execute(this.upstream::cancel);
		}
	}

	// upstream: the part's content

	@Override
	public void onSubscribe(Subscription subscription) {
		this.upstream.set(subscription);
	}

	@Override
	public void onNext(DataBuffer buffer) {
		int count = buffer.readableByteCount();
		this.received += count;
		if (this.stopped.get() || this.received > this.limit) {
			DataBufferUtils.release(buffer);
			if (this.received > this.limit && !this.exceeded) {
				this.exceeded = true;
				stop(new PartTooLargeException());
			}
			return;
		}
		if (count == 0) {
			DataBufferUtils.release(buffer);
			this.upstream.request(1);
			return;
		}
		byte[] bytes = new byte[count];
		buffer.read(bytes);
		DataBufferUtils.release(buffer);
		this.downstream.onNext(ByteBuffer.wrap(bytes));
	}

	@Override
	public void onError(Throwable error) {
		if (!this.stopped.get()) {
			signalDownstream(error);
		}
		this.size.tryEmitError(error);
	}

	@Override
	public void onComplete() {
		if (!this.stopped.get()) {
			signalDownstream(null);
		}
		this.size.tryEmitValue(this.received);
	}

	@Override
	public Context currentContext() {
		return this.context;
	}

	// downstream: the S3 upload

	@Override
	public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
		if (!this.subscribed.compareAndSet(false, true)) {
			// the body cannot be replayed: a retried upload fails instead of sending partial content
			Operators.error(subscriber, new IllegalStateException("A staged part can be read only once"));
			return;
		}
		CoreSubscriber<? super ByteBuffer> serialized = Operators.serialize(Operators.toCoreSubscriber(subscriber));
		Throwable error;
		boolean complete;
		synchronized (this.handshake) {
			// set first: the upload may request, and so receive data, from within onSubscribe
			this.downstream = serialized;
			serialized.onSubscribe(this);
			error = this.pendingError;
			complete = this.pendingComplete;
		}
		if (error != null) {
			serialized.onError(error);
		}
		else if (complete) {
			serialized.onComplete();
		}
	}

	@Override
	public void request(long n) {
		if (n > 0 && !this.stopped.get()) {
			this.signals.execute(() -> this.upstream.request(n));
		}
	}

	@Override
	public void cancel() {
		stop(null);
	}

	/** Stops relaying (once), telling the upload why when there is a reason, and drains the part. */
	private boolean stop(Throwable reason) {
		if (!this.stopped.compareAndSet(false, true)) {
			return false;
		}
		if (reason != null) {
			signalDownstream(reason);
		}
		this.signals.execute(() -> this.upstream.request(Long.MAX_VALUE));
		return true;
	}

	private void signalDownstream(Throwable error) {
		CoreSubscriber<? super ByteBuffer> subscriber;
		synchronized (this.handshake) {
			subscriber = this.downstream;
			if (subscriber == null) {
				// the upload has not subscribed yet: it gets the signal when it does
				this.pendingError = error;
				this.pendingComplete = (error == null);
				return;
			}
		}
		if (error != null) {
			subscriber.onError(error);
		}
		else {
			subscriber.onComplete();
		}
	}

	/** Ends an upload whose part outgrew the limit. */
	static final class PartTooLargeException extends RuntimeException {

		PartTooLargeException() {
			super("part exceeds the size limit", null, false, false);
		}

	}

}
