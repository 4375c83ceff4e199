package dev.intake.api.submission.multipart;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.util.context.Context;

import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The multipart events of a request, its body handed to Spring's reader no further than into the
 * part after the one whose events are being taken.
 * <p>
 * Spring's reader parses the body into one window of tokens per part, and asks for more of the
 * body while the part before is still being taken, so it parses ahead into the parts behind it.
 * When the body then ends in an error, or the events are cancelled, reactor-core drops the windows
 * not yet taken without discarding what they hold (reactor-core 3.8, {@code windowUntil}): the
 * buffers of those parts were never released. Here the reader gets no more of the body once it has
 * reached the second part boundary past the last part whose events were all taken (its last event
 * handed on), so every part the reader has buffers of is the one being taken, or the next one, whose
 * window the reader takes up as soon as the part before it was taken. Only parts that begin and end
 * within one network read can still be parsed further ahead.
 * <p>
 * Parts are counted by their boundaries in the body as it passes ({@code --boundary}, then
 * {@code CRLF--boundary}, as the reader finds them); a part counts as taken once the events have
 * handed on its last event and returned from doing so (the reader moves to the next part on its way
 * back). A request without a boundary is read as it is (the reader refuses it).
 */
public final class PacedParts {

	private static final ResolvableType PART_EVENT = ResolvableType.forClass(PartEvent.class);

	private PacedParts() {
	}

	/** {@code request}'s events as {@code reader} parses them, paced as described above. */
	public static Flux<PartEvent> read(HttpMessageReader<PartEvent> reader, ServerHttpRequest request) {
		byte[] boundary = boundary(request);
		if (boundary == null) {
			return reader.read(PART_EVENT, request, Map.of());
		}
		return Flux.defer(() -> {
			Pacing pacing = new Pacing(boundary);
			ServerHttpRequest paced = new ServerHttpRequestDecorator(request) {
				@Override
				public Flux<DataBuffer> getBody() {
					Flux<DataBuffer> body = super.getBody();
					return new Flux<>() {
						@Override
						public void subscribe(CoreSubscriber<? super DataBuffer> parser) {
							body.subscribe(pacing.new Body(parser));
						}
					};
				}
			};
			Flux<PartEvent> events = reader.read(PART_EVENT, paced, Map.of());
			return new Flux<PartEvent>() {
				@Override
				public void subscribe(CoreSubscriber<? super PartEvent> consumer) {
					events.subscribe(pacing.new Events(consumer));
				}
			};
		});
	}

	private static byte[] boundary(ServerHttpRequest request) {
		MediaType type;
		try {
			type = request.getHeaders().getContentType();
		}
		catch (InvalidMediaTypeException ex) {
			return null;
		}
		String boundary = (type != null) ? type.getParameter("boundary") : null;
		if (boundary == null) {
			return null;
		}
		if (boundary.length() > 2 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
			boundary = boundary.substring(1, boundary.length() - 1);
		}
		return boundary.isEmpty() ? null : boundary.getBytes(StandardCharsets.UTF_8);
	}

	/** One subscription's account: boundaries passed to the reader, parts taken, body held back. */
	private static final class Pacing {

		private final Delimiters delimiters;

		private Subscription network;

		/** Body reads the reader asked for and has not been given yet. */
		private long held;

		private long boundaries;

		private long taken;

		/** Parts whose last event {@link #deliverer} handed on and has not returned from yet. */
		private long handing;

		private Thread deliverer;

		/**
		 * The thread handing events on, while it does, and how deeply (handing one on can hand the
		 * next on from within); a pump it calls meanwhile counts no part.
		 */
		private Thread handingOn;

		private int depth;

		Pacing(byte[] boundary) {
			this.delimiters = new Delimiters(boundary);
		}

		private synchronized void network(Subscription network) {
			this.network = network;
		}

		private synchronized void passing(DataBuffer read) {
			this.boundaries += this.delimiters.count(read);
		}

		private synchronized void asked(long n) {
			this.held = (Long.MAX_VALUE - this.held < n) ? Long.MAX_VALUE : this.held + n;
		}

		private synchronized void handingLast() {
			this.handing++;
			this.deliverer = Thread.currentThread();
		}

		private synchronized void handingOn() {
			if (this.handingOn != Thread.currentThread()) {
				this.handingOn = Thread.currentThread();
				this.depth = 0;
			}
			this.depth++;
		}

		private synchronized void handedOn() {
			if (this.handingOn == Thread.currentThread() && --this.depth == 0) {
				this.handingOn = null;
			}
		}

		/**
		 * Passes on the reads held back, if the reader may have them. A last event counts once the
		 * thread that handed it on pumps outside of handing an event on: by then the reader, on its
		 * way back, has moved on to the next part if it could.
		 */
		private void pump() {
			Subscription upstream;
			long n;
			synchronized (this) {
				if (this.deliverer == Thread.currentThread() && this.handingOn != Thread.currentThread()) {
					this.taken += this.handing;
					this.handing = 0;
					this.deliverer = null;
				}
				if (this.held == 0 || this.network == null || this.boundaries >= this.taken + 2) {
					return;
				}
				upstream = this.network;
				n = this.held;
				this.held = 0;
			}
			upstream.request(n);
		}

		/** Between the network and the reader. */
		private final class Body implements CoreSubscriber<DataBuffer>, Subscription {

			private final CoreSubscriber<? super DataBuffer> parser;

			private Subscription upstream;

			Body(CoreSubscriber<? super DataBuffer> parser) {
				this.parser = parser;
			}

			@Override
			public Context currentContext() {
				return this.parser.currentContext();
			}

			@Override
			public void onSubscribe(Subscription subscription) {
				this.upstream = subscription;
				network(subscription);
				this.parser.onSubscribe(this);
			}

			@Override
			public void onNext(DataBuffer read) {
				passing(read);
				this.parser.onNext(read);
				pump();
			}

			@Override
			public void onError(Throwable error) {
				this.parser.onError(error);
			}

			@Override
			public void onComplete() {
				this.parser.onComplete();
			}

			@Override
			public void request(long n) {
				asked(n);
				pump();
			}

			@Override
			public void cancel() {
				this.upstream.cancel();
			}

		}

		/** Between the reader and the consumer of the events. */
		private final class Events implements CoreSubscriber<PartEvent>, Subscription {

			private final CoreSubscriber<? super PartEvent> consumer;

			private Subscription upstream;

			Events(CoreSubscriber<? super PartEvent> consumer) {
				this.consumer = consumer;
			}

			@Override
			public Context currentContext() {
				return this.consumer.currentContext();
			}

			@Override
			public void onSubscribe(Subscription subscription) {
				this.upstream = subscription;
				this.consumer.onSubscribe(this);
			}

			@Override
			public void onNext(PartEvent event) {
				if (event.isLast()) {
					handingLast();
				}
				handingOn();
				try {
					this.consumer.onNext(event);
				}
				finally {
					handedOn();
				}
			}

			@Override
			public void onError(Throwable error) {
				this.consumer.onError(error);
			}

			@Override
			public void onComplete() {
				this.consumer.onComplete();
			}

			@Override
			public void request(long n) {
				this.upstream.request(n);
				pump();
			}

			@Override
			public void cancel() {
				this.upstream.cancel();
			}

		}

	}

	/** Counts the part boundaries as the reader finds them: first {@code --boundary}, then {@code CRLF--boundary}. */
	private static final class Delimiters {

		private final Needle first;

		private final Needle next;

		private boolean begun;

		Delimiters(byte[] boundary) {
			byte[] dashed = new byte[boundary.length + 2];
			dashed[0] = '-';
			dashed[1] = '-';
			System.arraycopy(boundary, 0, dashed, 2, boundary.length);
			byte[] delimiter = new byte[dashed.length + 2];
			delimiter[0] = '\r';
			delimiter[1] = '\n';
			System.arraycopy(dashed, 0, delimiter, 2, dashed.length);
			this.first = new Needle(dashed);
			this.next = new Needle(delimiter);
		}

		int count(DataBuffer read) {
			int[] found = { 0 };
			read.forEachByte(read.readPosition(), read.readableByteCount(), b -> {
				if (this.begun ? this.next.found(b) : this.first.found(b)) {
					this.begun = true;
					found[0]++;
				}
				return true;
			});
			return found[0];
		}

	}

	/** A byte pattern found in a stream of bytes (Knuth–Morris–Pratt). */
	private static final class Needle {

		private final byte[] pattern;

		private final int[] fallback;

		private int matched;

		Needle(byte[] pattern) {
			this.pattern = pattern;
			this.fallback = new int[pattern.length];
			for (int i = 1, k = 0; i < pattern.length; i++) {
				while (k > 0 && pattern[i] != pattern[k]) {
					k = this.fallback[k - 1];
				}
				if (pattern[i] == pattern[k]) {
					k++;
				}
				this.fallback[i] = k;
			}
		}

		/** True when {@code b} completes the pattern. */
		boolean found(byte b) {
			while (this.matched > 0 && b != this.pattern[this.matched]) {
				this.matched = this.fallback[this.matched - 1];
			}
			if (b == this.pattern[this.matched]) {
				this.matched++;
			}
			if (this.matched == this.pattern.length) {
				this.matched = 0;
				return true;
			}
			return false;
		}

	}

}
