package dev.intake.api.compat.fileservice;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.BatchKey;
import dev.intake.contracts.DocumentFormat;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.ObjectKeys;
import dev.intake.platform.s3.IntakeBucket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code GET /f/{tenant}/{acl}/{file}?expires=…&signature=…}: the bytes of one file-service
 * version, through an Intake-signed link; {@code /f/{tenant}/{acl}/{handle}/{rendition}} one of
 * the renditions of an image version, under the same rules. A private version needs a link whose signature matches
 * and whose expiry has not passed (else 403); a public version is also served without one.
 * Streamed from S3, never sniffed; only raster images are shown inline, everything else is a
 * download, and SVG is sandboxed.
 */
@RestController
class SignedFileController {

	static final String BASE = "/f/";

	private static final Log logger = LogFactory.getLog(SignedFileController.class);

	private static final Pattern HANDLE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	private static final Pattern FILE = Pattern.compile(HANDLE.pattern() + "(\\.[a-z0-9]{1,5})?");

	/** A rendition's file: its configured name and the extension of its format. */
	private static final Pattern RENDITION = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}\\.[a-z0-9]{1,5}");

	private static final String SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

	private final SignedLinks links;

	private final S3AsyncClient s3;

	private final IntakeBucket bucket;

	SignedFileController(SignedLinks links, S3AsyncClient s3, IntakeBucket bucket) {
		this.links = links;
		this.s3 = s3;
		this.bucket = bucket;
	}

	@GetMapping(BASE + "{tenant}/{acl}/{file}")
	Mono<Void> get(@PathVariable String tenant, @PathVariable String acl, @PathVariable String file,
			@RequestParam(name = SignedLinks.EXPIRES, required = false) String expires,
			@RequestParam(name = SignedLinks.SIGNATURE, required = false) String signature,
			ServerHttpResponse response) {
		if (!BatchKey.TENANT.matcher(tenant).matches() || !FILE.matcher(file).matches()
				|| Acl.parse(acl).filter(known -> known.segment().equals(acl)).isEmpty()) {
			return Mono.error(FileServiceErrors.notFound("No such file."));
		}
		return serve(ObjectKeys.VAULT_PREFIX + tenant + "/" + acl + "/" + file, acl, file, expires, signature,
				response);
	}

	/** A rendition of an image version, under the same rules as the version's own bytes. */
	@GetMapping(BASE + "{tenant}/{acl}/{handle}/{rendition}")
	Mono<Void> rendition(@PathVariable String tenant, @PathVariable String acl, @PathVariable String handle,
			@PathVariable("rendition") String file, @RequestParam(name = SignedLinks.EXPIRES, required = false) String expires,
			@RequestParam(name = SignedLinks.SIGNATURE, required = false) String signature,
			ServerHttpResponse response) {
		if (!BatchKey.TENANT.matcher(tenant).matches() || !HANDLE.matcher(handle).matches()
				|| !RENDITION.matcher(file).matches()
				|| Acl.parse(acl).filter(known -> known.segment().equals(acl)).isEmpty()) {
			return Mono.error(FileServiceErrors.notFound("No such file."));
		}
		return serve(ObjectKeys.vaultRenditions(tenant, acl, handle) + file, acl, file, expires, signature, response);
	}

	private Mono<Void> serve(String key, String acl, String file, String expires, String signature,
			ServerHttpResponse response) {
		boolean signed = expires != null || signature != null;
		if (!signed && !Acl.PUBLIC.segment().equals(acl)) {
			return Mono.error(FileServiceErrors.of(HttpStatus.FORBIDDEN, "This file needs a signed link."));
		}
		CacheControl cache = CacheControl.maxAge(Duration.ofHours(1)).cachePublic();
		if (signed) {
			SignedLinks.Verdict verdict = links.verify(key, (expires != null) ? expires : "",
					(signature != null) ? signature : "");
			if (verdict == SignedLinks.Verdict.EXPIRED) {
				return Mono.error(FileServiceErrors.of(HttpStatus.FORBIDDEN, "The link has expired."));
			}
			if (verdict != SignedLinks.Verdict.VALID) {
				return Mono.error(FileServiceErrors.of(HttpStatus.FORBIDDEN, "The link's signature is not valid."));
			}
			cache = CacheControl.maxAge(links.remaining(expires)).cachePrivate();
		}
		CacheControl caching = cache;
		return Mono
			.fromFuture(() -> s3.getObject(get -> get.bucket(bucket.name()).key(key),
					AsyncResponseTransformer.toPublisher()))
			.flatMap(object -> {
				String type = servedType(object.response().contentType());
				HttpHeaders headers = response.getHeaders();
				headers.set(HttpHeaders.CONTENT_TYPE, type);
				if (object.response().contentLength() != null) {
					headers.setContentLength(object.response().contentLength());
				}
				headers.setCacheControl(caching);
				headers.set("X-Content-Type-Options", "nosniff");
				boolean inline = type.startsWith("image/") && !ImageFormat.SVG.contentType().equals(type);
				headers.setContentDisposition((inline ? ContentDisposition.inline() : ContentDisposition.attachment())
					.filename(file)
					.build());
				if (ImageFormat.SVG.contentType().equals(type)) {
					headers.set("Content-Security-Policy", SVG_POLICY);
				}
				response.setStatusCode(HttpStatus.OK);
				DataBufferFactory buffers = response.bufferFactory();
				return response.writeWith(Flux.from(object).map(buffers::wrap));
			})
			.onErrorResume(ex -> response.isCommitted(), ex -> Mono.empty())
			.onErrorMap(SignedFileController::problem);
	}

	/** Only types Intake accepts are served as such; anything else is {@code application/octet-stream}. */
	private static String servedType(String stored) {
		if (stored != null) {
			for (ImageFormat format : ImageFormat.values()) {
				if (format.contentType().equalsIgnoreCase(stored)) {
					return format.contentType();
				}
			}
			return DocumentFormat.forContentType(stored)
				.map(DocumentFormat::contentType)
				.orElse(MediaType.APPLICATION_OCTET_STREAM_VALUE);
		}
		return MediaType.APPLICATION_OCTET_STREAM_VALUE;
	}

	private static Throwable problem(Throwable ex) {
		Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
		if (cause instanceof ApiProblem) {
			return cause;
		}
		if (cause instanceof NoSuchKeyException || (cause instanceof S3Exception s3 && s3.statusCode() == 404)) {
			return FileServiceErrors.notFound("No such file.");
		}
		logger.warn("Could not read a file-service file: " + cause);
		return FileServiceErrors.unavailable("File storage is temporarily unavailable, please retry.");
	}

}
