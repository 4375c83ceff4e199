package dev.intake.api.image;

import java.time.Duration;
import java.util.concurrent.CompletionException;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.ObjectKeys;
import dev.intake.platform.s3.IntakeBucket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code GET|HEAD /i/{key}}: the origin that public image URLs point at (put a CDN in front). Serves
 * stored images only ({@link ObjectKeys#isPublicImage}), streamed from S3 without buffering, as
 * immutable, never sniffed, and SVG sandboxed. No authentication: the keys are content hashes.
 */
@RestController
class ImageOriginController {

	private static final Log logger = LogFactory.getLog(ImageOriginController.class);

	private static final String CACHE_CONTROL = "public, max-age=31536000, immutable";

	private static final String SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

	private final S3AsyncClient s3;

	private final IntakeBucket bucket;

	ImageOriginController(S3AsyncClient s3, IntakeBucket bucket) {
		this.s3 = s3;
		this.bucket = bucket;
	}

	@GetMapping("/i/{*key}")
	Mono<ResponseEntity<Flux<DataBuffer>>> get(@PathVariable String key, ServerHttpRequest request,
			ServerHttpResponse response) {
		String objectKey = objectKey(key);
		if (objectKey == null) {
			return Mono.error(ApiProblem.notFound());
		}
		GetObjectRequest get = GetObjectRequest.builder()
			.bucket(bucket.name())
			.key(objectKey)
			.ifNoneMatch(request.getHeaders().getFirst(HttpHeaders.IF_NONE_MATCH))
			.build();
		DataBufferFactory buffers = response.bufferFactory();
		return Mono.fromFuture(() -> s3.getObject(get, AsyncResponseTransformer.toPublisher()))
			.map(object -> ResponseEntity.ok()
				.headers(headers(object.response().contentType(), object.response().eTag(),
						object.response().contentLength()))
				.body(Flux.from(object).map(buffers::wrap)))
			.onErrorResume(ImageOriginController::isNotModified, ex -> Mono.just(notModified(ex)))
			.onErrorMap(ImageOriginController::problem);
	}

	@RequestMapping(path = "/i/{*key}", method = RequestMethod.HEAD)
	Mono<ResponseEntity<Void>> head(@PathVariable String key) {
		String objectKey = objectKey(key);
		if (objectKey == null) {
			return Mono.error(ApiProblem.notFound());
		}
		return Mono.fromFuture(() -> s3.headObject(head -> head.bucket(bucket.name()).key(objectKey)))
			.map((HeadObjectResponse object) -> ResponseEntity.ok()
				.headers(headers(object.contentType(), object.eTag(), object.contentLength()))
				.<Void>build())
			.onErrorMap(ImageOriginController::problem);
	}

	/** The object key of a public image path, or null when the path names nothing servable. */
	private static String objectKey(String path) {
		String key = path.startsWith("/") ? path.substring(1) : path;
		return ObjectKeys.isPublicImage(key) ? key : null;
	}

	private static HttpHeaders headers(String storedType, String eTag, Long contentLength) {
		String type = servedType(storedType);
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.CONTENT_TYPE, type);
		if (contentLength != null) {
			headers.setContentLength(contentLength);
		}
		headers.setCacheControl(CACHE_CONTROL);
		headers.set("X-Content-Type-Options", "nosniff");
		if (eTag != null) {
			headers.set(HttpHeaders.ETAG, quoted(eTag));
		}
		if (ImageFormat.SVG.contentType().equals(type)) {
			headers.set("Content-Security-Policy", SVG_POLICY);
		}
		return headers;
	}

	/** Only image types Intake stores are served as such; anything else is a download. */
	private static String servedType(String storedType) {
		if (storedType != null) {
			for (ImageFormat format : ImageFormat.values()) {
				if (storedType.regionMatches(true, 0, format.contentType(), 0, format.contentType().length())) {
					return format.contentType();
				}
			}
		}
		return MediaType.APPLICATION_OCTET_STREAM_VALUE;
	}

	private static boolean isNotModified(Throwable ex) {
		return unwrap(ex) instanceof S3Exception s3 && s3.statusCode() == HttpStatus.NOT_MODIFIED.value();
	}

	private static ResponseEntity<Flux<DataBuffer>> notModified(Throwable ex) {
		HttpHeaders headers = new HttpHeaders();
		headers.setCacheControl(CACHE_CONTROL);
		if (unwrap(ex) instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
			s3.awsErrorDetails()
				.sdkHttpResponse()
				.firstMatchingHeader(HttpHeaders.ETAG)
				.ifPresent(eTag -> headers.set(HttpHeaders.ETAG, quoted(eTag)));
		}
		return ResponseEntity.status(HttpStatus.NOT_MODIFIED).headers(headers).build();
	}

	private static String quoted(String eTag) {
		return (eTag.startsWith("\"") || eTag.startsWith("W/")) ? eTag : "\"" + eTag + "\"";
	}

	private static Throwable problem(Throwable ex) {
		Throwable cause = unwrap(ex);
		if (cause instanceof ApiProblem) {
			return cause;
		}
		if (cause instanceof NoSuchKeyException
				|| (cause instanceof S3Exception s3 && s3.statusCode() == HttpStatus.NOT_FOUND.value())) {
			return ApiProblem.notFound();
		}
		logger.warn("Could not read image: " + cause);
		return ApiProblem.unavailable("Image storage is temporarily unavailable, please retry.", Duration.ofSeconds(1));
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

}
