package dev.intake.api.limits;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.ApiError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Bounds how long any request body may take ({@code intake.limits.body-deadline}) and how slowly
 * it may arrive ({@code intake.limits.min-body-rate} after {@code min-body-rate-grace}), so a client
 * trickling its body cannot hold a connection and a submission slot indefinitely. Both are checked
 * as each piece of the body arrives, on the connection's thread; a body that stops arriving
 * altogether is the read timeout's case. The rate counts only time during which the server was
 * asking for more of the body: waits for a staging slot or for S3 are not held against the client.
 * A body over either limit fails with 408 (code 1408) and the connection is closed after the answer.
 */
final class BodyDeadlineFilter implements WebFilter, Ordered {

	private final LimitProperties limits;

	BodyDeadlineFilter(LimitProperties limits) {
		this.limits = limits;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest timed = new TimedBody(exchange.getRequest(), limits, System.nanoTime());
		return chain.filter(exchange.mutate().request(timed).build());
	}

	@Override
	public int getOrder() {
		// before Spring Security and the rate limits, so every body read anywhere is bounded
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	static ApiProblem tooSlow() {
		return new ApiProblem(HttpStatus.REQUEST_TIMEOUT, ApiError.REQUEST_TIMEOUT,
				"The request body arrived too slowly.")
			.withHeader(HttpHeaders.CONNECTION, "close");
	}

	static ApiProblem tooLate() {
		return new ApiProblem(HttpStatus.REQUEST_TIMEOUT, ApiError.REQUEST_TIMEOUT,
				"The request body was not complete within the time allowed for a request.")
			.withHeader(HttpHeaders.CONNECTION, "close");
	}

	/** A request whose body is checked against the deadline and the minimum rate as it arrives. */
	private static final class TimedBody extends ServerHttpRequestDecorator {

		private final long deadlineNanos;

		private final long minBytesPerSecond;

		private final long graceNanos;

		private final long startNanos;

		TimedBody(ServerHttpRequest delegate, LimitProperties limits, long startNanos) {
			super(delegate);
			this.deadlineNanos = limits.bodyDeadline().toNanos();
			this.minBytesPerSecond = limits.minBodyRate().toBytes();
			this.graceNanos = limits.minBodyRateGrace().toNanos();
			this.startNanos = startNanos;
		}

		@Override
		public Flux<DataBuffer> getBody() {
			return Flux.defer(() -> {
				Transfer transfer = new Transfer();
				return super.getBody().<DataBuffer>handle((buffer, sink) -> {
					ApiProblem problem = transfer.arrived(buffer.readableByteCount(), System.nanoTime());
					if (problem == null) {
						sink.next(buffer);
					}
					else {
						DataBufferUtils.release(buffer);
						sink.error(problem);
					}
				}).doOnRequest(n -> transfer.requested(n, System.nanoTime()));
			});
		}

		/**
		 * One subscription's account: bytes received and the time spent with demand outstanding.
		 * Demand may be signalled from other threads than the connection's, hence the lock.
		 */
		private final class Transfer {

			private long outstanding;

			private long waitingSince;

			private long waited;

			private long bytes;

			synchronized void requested(long n, long now) {
				if (outstanding == 0) {
					waitingSince = now;
				}
				outstanding = (Long.MAX_VALUE - outstanding < n) ? Long.MAX_VALUE : outstanding + n;
			}

			synchronized ApiProblem arrived(int size, long now) {
				if (outstanding > 0) {
					waited += now - waitingSince;
					waitingSince = now;
					if (outstanding != Long.MAX_VALUE) {
						outstanding--;
					}
				}
				bytes += size;
				if (now - startNanos > deadlineNanos) {
					return tooLate();
				}
				if (minBytesPerSecond > 0 && waited > graceNanos
						&& bytes < (double) minBytesPerSecond * waited / 1_000_000_000L) {
					return tooSlow();
				}
				return null;
			}

		}

	}

}
