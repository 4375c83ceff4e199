package dev.intake.api.submission;

import dev.intake.api.claims.IdempotencyKey;
import dev.intake.api.staging.ConnectionThread;
import dev.intake.api.submission.json.SubmitMessages;
import dev.intake.api.submission.upload.UploadMessages;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.intake.api.auth.Tenant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.core.ResolvableType;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.codec.multipart.PartEventHttpMessageReader;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code POST /v1/batch-upload/submit-with-files}: a multipart batch of image files, read as a
 * stream of part events (never as a whole) with the limits {@link MultipartLimits} configures.
 * {@code POST /v1/batch-upload/submit}: a JSON batch of URL and Base64 items, read as a stream of
 * bytes (see {@link JsonUpload}). Every batch route is also served under
 * {@code /api/vdr/batch-upload/…}, the bach.art API's own paths.
 */
@RestController
class SubmissionController {

	private static final ResolvableType PART_EVENT = ResolvableType.forClass(PartEvent.class);

	private final BatchSubmission submission;

	private final HttpMessageReader<PartEvent> partReader;

	SubmissionController(BatchSubmission submission, ServerCodecConfigurer codecs) {
		this.submission = submission;
		this.partReader = partEventReader(codecs);
	}

	@PostMapping({ "/v1/batch-upload/submit-with-files", "/api/vdr/batch-upload/submit-with-files" })
	Mono<SubmitResponse> submitWithFiles(ServerWebExchange exchange) {
		String tenant = Tenant.of(exchange);
		if (!isMultipartFormData(exchange)) {
			return Mono.error(UploadMessages.notMultipart());
		}
		IdempotencyKey key = IdempotencyKey.of(exchange.getRequest().getHeaders().getFirst(IdempotencyKey.HEADER));
		Flux<PartEvent> parts = partReader.read(PART_EVENT, exchange.getRequest(), Map.of());
		return submission.submit(tenant, key, parts)
			.contextWrite(Context.of(ConnectionThread.KEY, ConnectionThread.of(exchange.getRequest())));
	}

	@PostMapping({ "/v1/batch-upload/submit", "/api/vdr/batch-upload/submit" })
	Mono<SubmitResponse> submit(ServerWebExchange exchange) {
		String tenant = Tenant.of(exchange);
		if (!isJson(exchange)) {
			return Mono.error(SubmitMessages.notJson());
		}
		IdempotencyKey key = IdempotencyKey.of(exchange.getRequest().getHeaders().getFirst(IdempotencyKey.HEADER));
		return submission.submitJson(tenant, key, exchange.getRequest().getBody());
	}

	/**
	 * Whether the body is JSON the reader can read: JSON in UTF-8 (its ASCII subset too), as RFC
	 * 8259 asks; a body that says it is in another charset would be read wrongly.
	 */
	private static boolean isJson(ServerWebExchange exchange) {
		try {
			MediaType type = exchange.getRequest().getHeaders().getContentType();
			if (type == null || !(MediaType.APPLICATION_JSON.isCompatibleWith(type)
					|| "json".equalsIgnoreCase(type.getSubtypeSuffix()))) {
				return false;
			}
			Charset charset = type.getCharset();
			return charset == null || charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII);
		}
		catch (IllegalArgumentException ex) {
			// a malformed type (InvalidMediaTypeException), or a charset Java does not know
			// (IllegalCharsetNameException, UnsupportedCharsetException)
			return false;
		}
	}

	private static boolean isMultipartFormData(ServerWebExchange exchange) {
		try {
			MediaType type = exchange.getRequest().getHeaders().getContentType();
			return type != null && MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type);
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	@SuppressWarnings("unchecked")
	private static HttpMessageReader<PartEvent> partEventReader(ServerCodecConfigurer codecs) {
		return codecs.getReaders()
			.stream()
			.filter(PartEventHttpMessageReader.class::isInstance)
			.map(reader -> (HttpMessageReader<PartEvent>) reader)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No multipart PartEvent reader is configured"));
	}

}
