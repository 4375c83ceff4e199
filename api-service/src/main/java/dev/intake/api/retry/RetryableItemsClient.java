package dev.intake.api.retry;

import java.time.Duration;

import dev.intake.api.error.ApiProblem;
import dev.intake.api.status.StatusServiceClient;
import dev.intake.contracts.ApiError;
import dev.intake.contracts.ApiResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * Asks the status-service which failed items of the caller's batch can run again. A batch it
 * does not know (or another tenant's) is 404/1203, as for the status; anything else that is not
 * a clear answer (503, timeout, unreachable, unexpected reply) is 503/1500 with
 * {@code Retry-After}.
 */
final class RetryableItemsClient {

	private static final Log logger = LogFactory.getLog(RetryableItemsClient.class);

	static final String UNAVAILABLE_MESSAGE = "Batch retry is temporarily unavailable, please retry.";

	private static final ParameterizedTypeReference<ApiResponse<RetryableItems>> ANSWER = new ParameterizedTypeReference<>() {
	};

	private final StatusServiceClient statusService;

	RetryableItemsClient(StatusServiceClient statusService) {
		this.statusService = statusService;
	}

	Mono<RetryableItems> find(String tenant, String batchId) {
		return statusService.retryableItems(tenant, batchId, this::read)
			.onErrorMap(ex -> !(ex instanceof ApiProblem), ex -> {
				logger.warn("Retryable items of " + tenant + "/" + batchId + " unavailable: " + ex);
				return ApiProblem.unavailable(UNAVAILABLE_MESSAGE, Duration.ofSeconds(1));
			});
	}

	private Mono<RetryableItems> read(ClientResponse response) {
		int code = response.statusCode().value();
		if (code == HttpStatus.NOT_FOUND.value()) {
			return response.releaseBody()
				.then(Mono.error(new ApiProblem(HttpStatus.NOT_FOUND, ApiError.BATCH_NOT_FOUND,
						ApiError.BATCH_NOT_FOUND_MESSAGE)));
		}
		if (code != HttpStatus.OK.value()) {
			return response.releaseBody()
				.then(Mono.error(new IllegalStateException("the status-service answered " + code)));
		}
		return response.bodyToMono(ANSWER)
			.filter(envelope -> envelope.data() != null && envelope.data().status() != null)
			.map(ApiResponse::data)
			.switchIfEmpty(Mono.error(new IllegalStateException("incomplete answer from the status-service")));
	}

}
