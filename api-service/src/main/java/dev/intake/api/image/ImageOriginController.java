package dev.intake.api.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionException;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.DocumentFormat;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.ObjectKeys;
import dev.intake.platform.s3.IntakeBucket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.ContentDisposition;
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
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code GET|HEAD /i/{key}}: the origin that public image URLs point at (put a CDN in front). Serves
 * stored images ({@link ObjectKeys#isPublicImage}; an original from the upload object the content
 * index names for it, see {@link ContentLocations}, as the type the worker verified) and documents ({@link ObjectKeys#isPublicDocument},
 * as downloads: {@code Content-Disposition: attachment} with their stored type), streamed from S3 without buffering, as
 * immutable, never sniffed, and SVG sandboxed; conditional GETs and single byte ranges as CDNs and
 * viewers send them. No authentication: the keys are content hashes. Reads go through a connection
 * pool of the origin's own, and every path that does not stream an S3 body releases it at once.
 */
@RestController
class ImageOriginController {

	private static final Log logger = LogFactory.getLog(ImageOriginController.class);

	private static final String CACHE_CONTROL = "public, max-age=31536000, immutable";

	private static final String SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

	private final S3AsyncClient s3;

	private final IntakeBucket bucket;

	private final ContentLocations locations;

	ImageOriginController(OriginStore store, IntakeBucket bucket, ContentLocations locations) {
		this.s3 = store.s3();
		this.bucket = bucket;
		this.locations = locations;
	}

	/**
	 * Written to the response directly rather than as a {@code ResponseEntity}: the framework's own
	 * conditional check would answer 304 without ever subscribing to the S3 body, and an S3
	 * connection whose body is never read or cancelled is never returned to the pool.
	 */
	@GetMapping("/i/{*key}")
	Mono<Void> get(@PathVariable String key, ServerHttpRequest request, ServerHttpResponse response) {
		String publicKey = objectKey(key);
		if (publicKey == null) {
			return Mono.error(ApiProblem.notFound());
		}
		return locations.locate(publicKey)
			.flatMap(location -> location.isPresent() ? get(publicKey, location.get(), request, response)
					: Mono.error(ApiProblem.notFound()));
	}

	private Mono<Void> get(String publicKey, ContentLocations.Location location, ServerHttpRequest request,
			ServerHttpResponse response) {
		String objectKey = location.object();
		OriginConditions conditions = OriginConditions.of(request.getHeaders());
		GetObjectRequest get = GetObjectRequest.builder()
			.bucket(bucket.name())
			.key(objectKey)
			.ifNoneMatch(conditions.storeCondition())
			.range(conditions.range())
			.build();
		return Mono.fromFuture(() -> s3.getObject(get, AsyncResponseTransformer.toPublisher()))
			// a pooled connection the S3 server closed as it was reused: the GET is sent once more
			// (the SDK does not retry a streamed response); nothing was written to the client yet
			.retryWhen(Retry.max(1).filter(ImageOriginController::isConnectionLost))
			.flatMap(object -> write(publicKey, location.contentType(), object, conditions, response))
			.onErrorResume(ex -> response.isCommitted(), ex -> {
				logger.debug("Image response ended early: " + ex);
				return Mono.empty();
			})
			.onErrorResume(ImageOriginController::isNotModified,
					ex -> notModified(response, storeETag(ex)))
			.onErrorResume(ImageOriginController::isRangeNotSatisfiable, ex -> notSatisfiable(objectKey))
			.onErrorMap(ImageOriginController::problem);
	}

	private Mono<Void> write(String publicKey, String verifiedType, ResponsePublisher<GetObjectResponse> object,
			OriginConditions conditions, ServerHttpResponse response) {
		GetObjectResponse stored = object.response();
		if (conditions.notModified(stored.eTag())) {
			release(object);
			return notModified(response, stored.eTag());
		}
		HttpHeaders headers = headers(publicKey, (verifiedType != null) ? verifiedType : stored.contentType(),
				stored.eTag(), stored.contentLength());
		if (stored.contentRange() != null) {
			headers.set(HttpHeaders.CONTENT_RANGE, stored.contentRange());
			response.setStatusCode(HttpStatus.PARTIAL_CONTENT);
		}
		else {
			response.setStatusCode(HttpStatus.OK);
		}
		response.getHeaders().putAll(headers);
		DataBufferFactory buffers = response.bufferFactory();
		return response.writeWith(Flux.from(object).map(buffers::wrap));
	}

	/** Gives the connection of a body that will not be streamed back to the pool. */
	private static void release(ResponsePublisher<GetObjectResponse> object) {
		object.subscribe(new BaseSubscriber<ByteBuffer>() {
			@Override
			protected void hookOnSubscribe(Subscription subscription) {
				cancel();
			}
		});
	}

	private static Mono<Void> notModified(ServerHttpResponse response, String eTag) {
		response.setStatusCode(HttpStatus.NOT_MODIFIED);
		response.getHeaders().setCacheControl(CACHE_CONTROL);
		if (eTag != null) {
			response.getHeaders().set(HttpHeaders.ETAG, quoted(eTag));
		}
		return response.setComplete();
	}

	private Mono<Void> notSatisfiable(String objectKey) {
		return Mono.fromFuture(() -> s3.headObject(head -> head.bucket(bucket.name()).key(objectKey)))
			.flatMap(object -> Mono.error(new ApiProblem(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
					HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE.value(), "The requested range is not satisfiable.")
				.withHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + object.contentLength())));
	}

	@RequestMapping(path = "/i/{*key}", method = RequestMethod.HEAD)
	Mono<ResponseEntity<Void>> head(@PathVariable String key) {
		String publicKey = objectKey(key);
		if (publicKey == null) {
			return Mono.error(ApiProblem.notFound());
		}
		return locations.locate(publicKey).flatMap(found -> {
			if (found.isEmpty()) {
				return Mono.error(ApiProblem.notFound());
			}
			ContentLocations.Location location = found.get();
			return Mono.fromFuture(() -> s3.headObject(head -> head.bucket(bucket.name()).key(location.object())))
				.map((HeadObjectResponse object) -> ResponseEntity.ok()
					.headers(headers(publicKey,
							(location.contentType() != null) ? location.contentType() : object.contentType(),
							object.eTag(), object.contentLength()))
					.<Void>build());
		}).onErrorMap(ImageOriginController::problem);
	}

	/** The object key of a public image path, or null when the path names nothing servable. */
	private static String objectKey(String path) {
		String key = path.startsWith("/") ? path.substring(1) : path;
		return (!key.endsWith("/") && (ObjectKeys.isPublicImage(key) || ObjectKeys.isPublicDocument(key))) ? key
				: null;
	}

	private static HttpHeaders headers(String objectKey, String storedType, String eTag, Long contentLength) {
		boolean document = objectKey.startsWith(ObjectKeys.FILES_PREFIX);
		String type = document ? documentType(storedType) : servedType(storedType);
		HttpHeaders headers = new HttpHeaders();
		if (document) {
			// a document is never rendered in the origin's name: always a download
			headers.setContentDisposition(ContentDisposition.attachment()
				.filename(objectKey.substring(objectKey.lastIndexOf('/') + 1))
				.build());
		}
		headers.set(HttpHeaders.CONTENT_TYPE, type);
		if (contentLength != null) {
			headers.setContentLength(contentLength);
		}
		headers.setCacheControl(CACHE_CONTROL);
		headers.set("X-Content-Type-Options", "nosniff");
		headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
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

	/** A document is served with its stored type when it is one of the document formats. */
	private static String documentType(String storedType) {
		return DocumentFormat.forContentType(storedType)
			.map(DocumentFormat::contentType)
			.orElse(MediaType.APPLICATION_OCTET_STREAM_VALUE);
	}

	/**
	 * A request that failed on its connection (an I/O error), not with an answer of S3's: the SDK's
	 * Netty client fails the GET's future with the bare {@link IOException} ("The connection
	 * was closed during the request"), other paths wrap it in an {@link SdkClientException}.
	 */
	static boolean isConnectionLost(Throwable ex) {
		Throwable cause = unwrap(ex);
		if (cause instanceof IOException) {
			return true;
		}
		if (!(cause instanceof SdkClientException)) {
			return false;
		}
		for (Throwable inner = cause; inner != null; inner = inner.getCause()) {
			if (inner instanceof IOException) {
				return true;
			}
		}
		return false;
	}

	private static boolean isNotModified(Throwable ex) {
		return unwrap(ex) instanceof S3Exception s3 && s3.statusCode() == HttpStatus.NOT_MODIFIED.value();
	}

	private static boolean isRangeNotSatisfiable(Throwable ex) {
		return unwrap(ex) instanceof S3Exception s3
				&& s3.statusCode() == HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE.value();
	}

	/** The entity tag S3 sent with its own 304. */
	private static String storeETag(Throwable ex) {
		if (unwrap(ex) instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
			return s3.awsErrorDetails().sdkHttpResponse().firstMatchingHeader(HttpHeaders.ETAG).orElse(null);
		}
		return null;
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
