package dev.intake.api.staging;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;
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
 * buffer into a {@link ByteBuffer} and releasing it. Bytes are counted as they pass: past the limit,
 * the upload is failed (so S3 aborts it) and the rest of the part is read and discarded, still
 * counted, so the caller learns the real size. The part is always read to its end, whatever happens
 * to the upload, so the next part of the request can follow.
 * <p>
 * With a keep limit, the part is first read on its own demand and kept, up to that many bytes:
 * {@link #start()} then tells whether it ended within them ({@link Whole}: an upload of it can be
 * replayed) or not ({@link Streamed}: the bytes kept so far go first, then the rest is relayed).
 */
final class StagedPartBody implements CoreSubscriber<DataBuffer>, Publisher<ByteBuffer>, Subscription {

	private final long limit;

	/** Bytes kept before relaying begins; 0 to relay from the first byte. */
	private final long keepLimit;

	private final Context context;

	/** Where demand and cancellation are signalled upstream (see {@link ConnectionThread}). */
	private final Executor signals;

	private final Operators.DeferredSubscription upstream = new Operators.DeferredSubscription();

	private final AtomicBoolean subscribed = new AtomicBoolean();

	private final AtomicBoolean stopped = new AtomicBoolean();

	private final Sinks.One<Long> size = Sinks.one();

	private final Sinks.One<Start> start = Sinks.one();

	/** While the part is being kept: its first bytes. Handed over once {@link #start} is known. */
	private final Queue<ByteBuffer> kept = new ArrayDeque<>();

	private final AtomicBoolean keeping = new AtomicBoolean();

	private volatile CoreSubscriber<? super ByteBuffer> downstream;

	private final Object handshake = new Object();

	private Throwable pendingError;

	private boolean pendingComplete;

	private volatile boolean exceeded;

	private long received;

	StagedPartBody(long limit, Context context) {
		this(limit, 0, context);
	}

	StagedPartBody(long limit, long keepLimit, Context context) {
		this.limit = limit;
		this.keepLimit = keepLimit;
		this.context = context;
		this.signals = ConnectionThread.from(context);
		if (keepLimit > 0) {
			this.keeping.set(true);
		}
		else {
			this.start.tryEmitValue(new Streamed(new ArrayDeque<>()));
		}
	}

	/**
	 * Begins reading the part, once it is subscribed to its content, when it is to be kept (see
	 * {@link #start()}); otherwise the part is read only with the upload's demand.
	 */
	void begin() {
		if (this.keepLimit > 0) {
			this.signals.execute(() -> this.upstream.request(1));
		}
	}

	/**
	 * How the upload of this part is to begin, known once the part ended within the keep limit,
	 * outgrew it, or outgrew the size limit ({@link TooLarge}); errors when reading failed first or
	 * the part was abandoned while being kept.
	 */
	Mono<Start> start() {
		return this.start.asMono();
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
		if (this.keeping.compareAndSet(true, false)) {
			this.start.tryEmitError(new CancellationException("upload abandoned"));
		}
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
				if (this.keeping.compareAndSet(true, false)) {
					this.kept.clear();
					this.start.tryEmitValue(new TooLarge());
				}
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
		if (this.keeping.get()) {
			this.kept.add(ByteBuffer.wrap(bytes));
			if (this.received <= this.keepLimit) {
				this.signals.execute(() -> this.upstream.request(1));
			}
			else if (this.keeping.compareAndSet(true, false)) {
				// outgrew the keep limit: the upload's demand reads the rest
				this.start.tryEmitValue(new Streamed(this.kept));
			}
			return;
		}
		CoreSubscriber<? super ByteBuffer> subscriber = this.downstream;
		if (subscriber == null) {
			// bytes no upload asked for (its keeping ended under this buffer as it was abandoned): the
			// part fails as a read error would, and the upload, if it still comes, learns it
			this.signals.execute(this.upstream::cancel);
			onError(new CancellationException("upload abandoned"));
			return;
		}
		subscriber.onNext(ByteBuffer.wrap(bytes));
	}

	@Override
	public void onError(Throwable error) {
		if (this.keeping.compareAndSet(true, false)) {
			this.kept.clear();
			this.start.tryEmitError(error);
		}
		if (!this.stopped.get()) {
			signalDownstream(error);
		}
		this.size.tryEmitError(error);
	}

	@Override
	public void onComplete() {
		if (this.keeping.compareAndSet(true, false)) {
			// ended within the keep limit: the upload takes the bytes kept, and nothing is relayed
			this.stopped.set(true);
			this.start.tryEmitValue(new Whole(this.kept.toArray(ByteBuffer[]::new), this.received));
			this.kept.clear();
		}
		else if (!this.stopped.get()) {
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

	/** How the upload of a part begins. */
	sealed interface Start permits Whole, Streamed, TooLarge {
	}

	/** The part ended within the keep limit: these are all of its bytes, {@code size} of them. */
	record Whole(ByteBuffer[] buffers, long size) implements Start {
	}

	/**
	 * The part outgrew the keep limit: an upload sends {@code kept} first (taking each buffer off
	 * the queue as it goes), then the rest of the part through this body.
	 */
	record Streamed(Queue<ByteBuffer> kept) implements Start {
	}

	/** The part outgrew the size limit while it was kept: there is nothing to upload. */
	record TooLarge() implements Start {
	}

	/** Ends an upload whose part outgrew the limit. */
	static final class PartTooLargeException extends RuntimeException {

		PartTooLargeException() {
			super("part exceeds the size limit", null, false, false);
		}

	}

}
