package dev.intake.api.limits;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.intake.api.auth.Tenant;
import dev.intake.api.error.ApiProblem;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** When a submission's slot is given back: as its answer is committed, and once. */
class RateLimitFilterTest {

	private final TenantQuotas quotas = new TenantQuotas(new LimitProperties(100, 100, DataSize.ofMegabytes(1), 1,
			Duration.ofSeconds(60), Duration.ofMinutes(15), DataSize.ofKilobytes(1), Duration.ofSeconds(30), 20));

	private final RateLimitFilter filter = new RateLimitFilter(quotas);

	/**
	 * A client may send its next submission as soon as it has the answer, on another connection,
	 * while this exchange is still winding down.
	 */
	@Test
	void theSlotIsFreeOnceTheAnswerIsCommitted() {
		MockServerWebExchange exchange = submission();
		AtomicReference<ApiProblem> next = new AtomicReference<>();
		filter.filter(exchange, answered -> answered.getResponse().setComplete().then(Mono.fromRunnable(() -> {
			ApiProblem refused = quotas.startSubmission("acme");
			next.set(refused);
			if (refused == null) {
				quotas.endSubmission("acme");
			}
		}))).block(Duration.ofSeconds(5));
		assertThat(next.get()).as("the next submission while the answered one ends").isNull();
		assertOneSlotFree();
	}

	@Test
	void theSlotIsFreeAfterAnExchangeThatEndsWithoutAnAnswer() {
		filter.filter(submission(), unanswered -> Mono.error(new IllegalStateException("gone")))
			.onErrorResume(IllegalStateException.class, ex -> Mono.empty())
			.block(Duration.ofSeconds(5));
		assertOneSlotFree();
	}

	private void assertOneSlotFree() {
		assertThat(quotas.startSubmission("acme")).isNull();
		assertThat(quotas.startSubmission("acme")).as("a second, with one allowed").isNotNull();
		quotas.endSubmission("acme");
	}

	private static MockServerWebExchange submission() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.post("/v1/batch-upload/submit").contentLength(0));
		exchange.getAttributes().put(Tenant.class.getName() + ".id", "acme");
		return exchange;
	}

}
