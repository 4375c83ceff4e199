package dev.intake.api.submission.multipart;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Function;

import dev.intake.api.submission.upload.DiscardScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.multipart.PartEvent;

/**
 * The buffers of one request's multipart events, each released exactly once: by the consumer that
 * took it, or by the discard hook of the request's chain when an error or a cancellation drops it.
 * <p>
 * Two gaps of the libraries under the multipart reader make a plain discard hook wrong:
 * <ul>
 * <li>Spring's reader emits each event of a part through {@code concatMap} over
 * {@code Mono.just(event)}, and reactor-core's scalar inner of {@code concatMap} discards its value
 * when cancelled even after it emitted it (reactor-core 3.8). An error or cancellation of the
 * request cancels it, so a hook that releases every discarded event released the last one a second
 * time, after its consumer had released it or while it was still reading it. Pieces of one network
 * read share a reference count, so that second release freed bytes of another piece. Only the last
 * event emitted can be discarded that way: {@link #read} remembers it, and whether it was taken or
 * released.</li>
 * <li>The reader's own operators queue parser tokens ahead of demand, and drop them on error or
 * cancellation with nothing to release their buffers (Spring's hook sits upstream of those
 * queues). The hook here releases the buffer of each dropped body token.</li>
 * </ul>
 * <p>
 * A reader of parts that windows them ({@code windowUntil(PartEvent::isLast)}) and reads one window
 * at a time also drops, on error, the next part's window it queued, never subscribed and still
 * holding that part's first events: the hook reads such a window out to release them.
 * <p>
 * Use one per request: {@link #read} around the reader's chain (it watches the events and installs
 * the discard hook, {@code doOnDiscard(Object.class, ...)}, which must sit below every operator that
 * may drop an event), {@link #take} where a consumer takes an event's buffer over, and
 * {@link #release} where code drops one.
 */
public final class PartBuffers {

	private static final Logger logger = LoggerFactory.getLogger(PartBuffers.class);

	private static final String BODY_TOKEN = "org.springframework.http.codec.multipart.MultipartParser$BodyToken";

	private static final MethodHandle TOKEN_BUFFER = tokenBuffer();

	private PartEvent last;

	private boolean lastSettled;

	/**
	 * The chain {@code reader} builds on the request's events, with the buffers of whatever it or
	 * the operators under it drop on error or cancellation released once. Not DataBuffers: discard
	 * hooks are cumulative, and Spring's reader already releases the DataBuffers it drops (a second
	 * hook would release them twice).
	 */
	public <T> Mono<T> read(Flux<PartEvent> parts, Function<Flux<PartEvent>, Mono<T>> reader) {
		return DiscardScope.own(reader.apply(parts.doOnNext(this::emitted)).doOnDiscard(Object.class, this::discard));
	}

	/** Hands {@code event}'s buffer over to a consumer, which releases it. */
	public DataBuffer take(PartEvent event) {
		settle(event);
		return event.content();
	}

	/** Releases {@code event}'s buffer, unless it was released or taken over already. */
	public void release(PartEvent event) {
		if (settle(event)) {
			DataBufferUtils.release(event.content());
		}
	}

	/** The discard hook: releases what a dropped event or parser token holds. */
	private void discard(Object dropped) {
		if (dropped instanceof PartEvent event) {
			release(event);
		}
		else if (dropped instanceof Flux<?> window) {
			// a part's window queued behind the part being read and never subscribed: its events
			// would stay in it; read them out to release them (it ends with the request's error)
			window.subscribe(this::discard, error -> {
			});
		}
		else if (TOKEN_BUFFER != null && dropped.getClass().getName().equals(BODY_TOKEN)) {
			try {
				DataBufferUtils.release((DataBuffer) TOKEN_BUFFER.invoke(dropped));
			}
			catch (Throwable ex) {
				logger.debug("Could not release a dropped multipart token", ex);
			}
		}
	}

	private synchronized void emitted(PartEvent event) {
		last = event;
		lastSettled = false;
	}

	/** True if {@code event} is still to be released; only the last one emitted can be asked twice. */
	private synchronized boolean settle(PartEvent event) {
		if (event != last) {
			return true;
		}
		if (lastSettled) {
			return false;
		}
		lastSettled = true;
		return true;
	}

	private static MethodHandle tokenBuffer() {
		try {
			Class<?> token = Class.forName(BODY_TOKEN, false, PartEvent.class.getClassLoader());
			var method = token.getMethod("buffer");
			method.setAccessible(true);
			return MethodHandles.lookup().unreflect(method).asType(MethodType.methodType(Object.class, Object.class));
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.warn("Spring's multipart parser has no body token class; buffers it drops on errors are not released", ex);
			return null;
		}
	}

}
