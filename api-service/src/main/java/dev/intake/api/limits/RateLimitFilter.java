package dev.intake.api.limits;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;

import dev.intake.api.auth.Tenant;
import dev.intake.api.error.ApiProblem;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Applies {@link TenantQuotas} to authenticated requests (runs after Spring Security, which
 * names the tenant): every request is charged to the tenant's request rate; a write
 * (anything but {@code GET}/{@code HEAD}) also takes a submission slot until its answer is committed and
 * is charged its body bytes, from {@code Content-Length} before anything is read or, for a chunked
 * body, as the bytes arrive. Public paths are not limited here; a request without a header
 * credential gets a {@link LateAdmission}, for routes whose credential is in the body.
 */
final class RateLimitFilter implements WebFilter, Ordered {

	/** Largest body read and dropped before a refusal is answered. */
	private static final long MAX_DRAINED_BODY = 1024 * 1024;

	private final TenantQuotas quotas;

	RateLimitFilter(TenantQuotas quotas) {
		this.quotas = quotas;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		Optional<String> authenticated = Tenant.find(exchange);
		if (authenticated.isEmpty()) {
			// a route whose credential arrives in the body charges it once it is read
			LateAdmission late = LateAdmission.attach(exchange, quotas);
			ServerWebExchange counted = isChunkedWrite(exchange)
					? exchange.mutate().request(new MeteredBody(exchange.getRequest(), late::read)).build() : exchange;
			return chain.filter(counted)
				.contextWrite(context -> SubmissionSlot.with(context, late::end))
				.doFinally(signal -> late.end());
		}
		String tenant = authenticated.get();
		ApiProblem refused = quotas.chargeRequest(tenant);
		if (refused != null) {
			return refuse(exchange, refused);
		}
		HttpMethod method = exchange.getRequest().getMethod();
		if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
			return chain.filter(exchange);
		}
		if ((refused = quotas.startSubmission(tenant)) != null) {
			return refuse(exchange, refused);
		}
		long length = exchange.getRequest().getHeaders().getContentLength();
		if (length > 0 && (refused = quotas.chargeBytes(tenant, length)) != null) {
			quotas.endSubmission(tenant);
			return Mono.error(refused);
		}
		ServerWebExchange metered = (length >= 0) ? exchange
				: exchange.mutate()
					.request(new MeteredBody(exchange.getRequest(), bytes -> quotas.chargeBytes(tenant, bytes)))
					.build();
		// ended as the answer is committed, so a client that sends its next submission as soon as it
		// has the answer (on another connection) finds the slot free; at the latest when the
		// exchange ends, also without an answer
		AtomicBoolean ended = new AtomicBoolean();
		Runnable end = () -> {
			if (ended.compareAndSet(false, true)) {
				quotas.endSubmission(tenant);
			}
		};
		exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(end));
		return chain.filter(metered).contextWrite(context -> SubmissionSlot.with(context, end)).doFinally(signal -> end.run());
	}

	/**
	 * Answers with {@code problem}, after reading and dropping a small body first: a client still
	 * sending it then receives the 429 instead of a connection closed under it. A large body is
	 * not read; its connection is closed.
	 */
	private static Mono<Void> refuse(ServerWebExchange exchange, ApiProblem problem) {
		long length = exchange.getRequest().getHeaders().getContentLength();
		if (length <= 0 || length > MAX_DRAINED_BODY) {
			return Mono.error(problem);
		}
		return exchange.getRequest().getBody().doOnNext(DataBufferUtils::release).then(Mono.error(problem));
	}

	private static boolean isChunkedWrite(ServerWebExchange exchange) {
		HttpMethod method = exchange.getRequest().getMethod();
		return !HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)
				&& exchange.getRequest().getHeaders().getContentLength() < 0;
	}

	@Override
	public int getOrder() {
		// after Spring Security's WebFilterChainProxy (-100), which names the tenant
		return 0;
	}

	/**
	 * A chunked request body charged to the tenant's bytes per minute as it streams in: each
	 * buffer is passed to {@code charge}, which answers the 429 problem once they are used up.
	 */
	private static final class MeteredBody extends ServerHttpRequestDecorator {

		private final LongFunction<ApiProblem> charge;

		MeteredBody(ServerHttpRequest delegate, LongFunction<ApiProblem> charge) {
			super(delegate);
			this.charge = charge;
		}

		@Override
		public Flux<DataBuffer> getBody() {
			long[] read = new long[1];
			return super.getBody().handle((buffer, sink) -> {
				ApiProblem refused = charge.apply(TenantQuotas.newKibibytes(read, buffer.readableByteCount()));
				if (refused == null) {
					sink.next(buffer);
				}
				else {
					DataBufferUtils.release(buffer);
					sink.error(refused);
				}
			});
		}

	}

}
