package dev.intake.api.compat.nursery;

import java.io.ByteArrayOutputStream;

import dev.intake.api.auth.PresentedCredential;
import dev.intake.api.limits.LateAdmission;
import dev.intake.api.error.ApiProblem;
import dev.intake.api.submission.upload.UploadProperties;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * The nursery image API's batches: {@code POST /batch_image_upload} links an uploaded file to a
 * nursery's batch with an image type; {@code load_batch_images} (POST with the same JSON body, or
 * GET with query parameters) lists that batch's files in link order. The credential is
 * {@code JWT_code} or the usual header; the tenant comes from it alone, and nursery and batch
 * numbers are the client's own, within the tenant. Checked in this order: the body (400), the
 * credential (401, 403), the parameters (400), the file (404).
 */
@RestController
class BatchImagesController {

	static final String LINK_PATH = "/batch_image_upload";

	static final String LIST_PATH = "/load_batch_images";

	/** Largest JSON body read; the documented one is under 200 bytes. */
	static final int MAX_BODY_BYTES = 64 * 1024;

	private final BatchLinks links;

	private final PresentedCredential credentials;

	private final JsonMapper json;

	private final long drainBudget;

	BatchImagesController(BatchLinks links, PresentedCredential credentials, JsonMapper json, UploadProperties limits) {
		this.links = links;
		this.credentials = credentials;
		this.json = json;
		this.drainBudget = limits.maxDrainSize().toBytes();
	}

	@PostMapping(LINK_PATH)
	Mono<BatchImagesAnswers.Linked> link(ServerWebExchange exchange) {
		return body(exchange).flatMap(parameters -> tenant(exchange, parameters, PresentedCredential.Scope.WRITE).flatMap(tenant -> {
			BatchLinks.LinkRequest request = new BatchLinks.LinkRequest(parameters.id(NurseryParameters.NURSERY_ID),
					parameters.id(NurseryParameters.BATCH_ID), parameters.id(NurseryParameters.USER_ID),
					parameters.id(NurseryParameters.FILE_ID),
					parameters.text(NurseryParameters.IMAGE_TYPE, NurseryParameters.MAX_TYPE_LENGTH));
			return links.link(tenant, request);
		})).map(BatchImagesAnswers.Linked::of);
	}

	@PostMapping(LIST_PATH)
	Mono<BatchImagesAnswers.Listed> listPosted(ServerWebExchange exchange) {
		return body(exchange).flatMap(parameters -> list(exchange, parameters));
	}

	@GetMapping(LIST_PATH)
	Mono<BatchImagesAnswers.Listed> listQueried(ServerWebExchange exchange) {
		return Mono.fromCallable(() -> NurseryParameters.ofQuery(exchange.getRequest().getQueryParams()))
			.flatMap(parameters -> list(exchange, parameters));
	}

	private Mono<BatchImagesAnswers.Listed> list(ServerWebExchange exchange, NurseryParameters parameters) {
		return tenant(exchange, parameters, PresentedCredential.Scope.READ).flatMap(tenant -> {
			long nursery = parameters.id(NurseryParameters.NURSERY_ID);
			long batch = parameters.id(NurseryParameters.BATCH_ID);
			parameters.optionalId(NurseryParameters.USER_ID);
			return links.list(tenant, nursery, batch);
		}).map(BatchImagesAnswers.Listed::of);
	}

	/** The tenant of the request's credential, the request charged to its quotas. */
	private Mono<String> tenant(ServerWebExchange exchange, NurseryParameters parameters,
			PresentedCredential.Scope scope) {
		return Mono.defer(() -> credentials.tenant(parameters.credential(), scope))
			.onErrorMap(PresentedCredential.Refused.class, NurseryErrors::of)
			.flatMap(tenant -> LateAdmission.charge(exchange, tenant).thenReturn(tenant));
	}

	/**
	 * The JSON body's parameters. A body over the limit is read on and dropped up to the drain
	 * budget (so the client, still sending, gets the 413), then the connection is given up.
	 */
	private Mono<NurseryParameters> body(ServerWebExchange exchange) {
		ByteArrayOutputStream kept = new ByteArrayOutputStream();
		long[] total = new long[1];
		ApiProblem tooLarge = NurseryErrors.error(HttpStatus.CONTENT_TOO_LARGE,
				"The body is larger than " + MAX_BODY_BYTES / 1024 + " KB.");
		// map, never throwing: an operator that fails on a buffer discards it, releasing it a second time
		return exchange.getRequest().getBody().map(buffer -> {
			try {
				int length = buffer.readableByteCount();
				if (total[0] + length <= MAX_BODY_BYTES) {
					byte[] bytes = new byte[length];
					buffer.read(bytes);
					kept.writeBytes(bytes);
				}
				total[0] += length;
				return length;
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).takeUntil(length -> total[0] > MAX_BODY_BYTES + drainBudget).then(Mono.fromCallable(() -> {
			if (total[0] > MAX_BODY_BYTES) {
				throw tooLarge;
			}
			return NurseryParameters.ofJson(json, kept.toByteArray());
		}));
	}

}
