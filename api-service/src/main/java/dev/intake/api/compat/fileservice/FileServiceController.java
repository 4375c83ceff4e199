package dev.intake.api.compat.fileservice;

import java.net.URI;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.intake.api.auth.Tenant;
import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.DisplayNames;
import dev.intake.contracts.ObjectKeys;
import dev.intake.platform.s3.IntakeBucket;
import io.netty.handler.timeout.ReadTimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The Capillary file service under {@code /api_gateway/file-service}: upload a file by name into a
 * namespace (each upload is the name's next version; no body makes a placeholder), fetch the
 * latest or a given version (a redirect to a fresh signed link), list a namespace's files with
 * their latest versions, delete a version. Files are per tenant; another tenant's names answer
 * as names that do not exist. An image version is also checked, measured and rendered by the
 * worker ({@link ImageChecks}); the upload does not wait for it, the listing and the metadata
 * fetch show how far it is.
 */
@RestController
class FileServiceController {

	static final String BASE = "/api_gateway/file-service";

	private static final Log logger = LogFactory.getLog(FileServiceController.class);

	private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	private static final int MAX_NAME = 255;

	/** Image outcomes one listing reads at once. */
	private static final int IMAGE_READS = 8;

	private final FileBody body;

	private final VersionIndex index;

	private final SignedLinks links;

	private final FileServiceProperties properties;

	private final S3AsyncClient s3;

	private final String bucket;

	private final ImageChecks images;

	private final Clock clock;

	FileServiceController(FileBody body, VersionIndex index, SignedLinks links, FileServiceProperties properties,
			S3AsyncClient s3, IntakeBucket bucket, ImageChecks images) {
		this.body = body;
		this.index = index;
		this.links = links;
		this.images = images;
		this.properties = properties;
		this.s3 = s3;
		this.bucket = bucket.name();
		this.clock = Clock.systemUTC();
	}

	@PostMapping(BASE + "/{namespace}/{filename}")
	Mono<FileAnswer.Upload> upload(@PathVariable String namespace, @PathVariable String filename,
			@RequestParam(name = "acl", required = false) String acl, ServerWebExchange exchange) {
		String tenant = Tenant.of(exchange);
		checkNames(namespace, filename);
		checkNewName(filename);
		Acl access = (acl == null) ? properties.defaultAcl() : Acl.parse(acl)
			.orElseThrow(() -> FileServiceErrors.badRequest("acl must be PUBLIC or PRIVATE."));
		String handle = UUID.randomUUID().toString();
		URI uri = exchange.getRequest().getURI();
		return body
			.read(exchange.getRequest(), filename,
					type -> ObjectKeys.vaultFile(tenant, access.segment(), handle, type.extension()))
			// once the bytes are stored, queueing and recording run to their end even if the client goes away;
			// an image is queued for its check before its version is recorded, so every recorded image version has one
			.flatMap(stored -> Mono.fromFuture(() -> imageCheck(tenant, handle, access, stored, filename)
				.flatMap(imageBatch -> index.record(tenant, namespace, filename,
						number -> new FileVersion(namespace, filename, number, access, stored.size(), handle,
								stored.type().contentType(), stored.key(), clock.instant().truncatedTo(ChronoUnit.SECONDS),
								imageBatch.orElse(null))))
				.onErrorResume(ex -> stored.discard().then(Mono.error(ex)))
				.toFuture(), true))
			.map(version -> new FileAnswer.Upload(200, "true", "Successfully uploaded file",
					FileAnswer.File.of(version, version.version(), bucket), links.link(version, uri)))
			.onErrorMap(FileServiceController::unavailable);
	}

	@GetMapping(BASE + "/{namespace}/{filename}")
	Mono<ResponseEntity<Void>> fetch(@PathVariable String namespace, @PathVariable String filename,
			@RequestParam(name = "version", required = false) String version, ServerWebExchange exchange) {
		String tenant = Tenant.of(exchange);
		checkNames(namespace, filename);
		Mono<FileVersion> found = (version == null) ? index.latest(tenant, namespace, filename)
				: index.find(tenant, namespace, filename, versionNumber(version));
		URI uri = exchange.getRequest().getURI();
		return found
			.map(file -> ResponseEntity.status(HttpStatus.FOUND)
				.location(URI.create(links.link(file, uri)))
				.cacheControl(CacheControl.noStore())
				.<Void>build())
			.switchIfEmpty(Mono.error(() -> noSuchFile(namespace, filename, version)))
			.onErrorMap(FileServiceController::unavailable);
	}

	/** The version's record instead of a redirect: Intake's extension, with what is known of an image's bytes. */
	@GetMapping(path = BASE + "/{namespace}/{filename}", params = "metadata=true")
	Mono<FileAnswer.Fetched> metadata(@PathVariable String namespace, @PathVariable String filename,
			@RequestParam(name = "version", required = false) String version, ServerWebExchange exchange) {
		String tenant = Tenant.of(exchange);
		checkNames(namespace, filename);
		Mono<FileVersion> found = (version == null) ? index.latest(tenant, namespace, filename)
				: index.find(tenant, namespace, filename, versionNumber(version));
		URI uri = exchange.getRequest().getURI();
		return found
			.flatMap(file -> index.versions(tenant, namespace, filename)
				.flatMap(versions -> answered(tenant, file, versions.latest(), uri))
				.map(answered -> new FileAnswer.Fetched(200, "true", "Successfully fetched file", answered,
						links.link(file, uri))))
			.switchIfEmpty(Mono.error(() -> noSuchFile(namespace, filename, version)))
			.onErrorMap(FileServiceController::unavailable);
	}

	@GetMapping(BASE + "/{namespace}")
	Mono<FileAnswer.Listing> list(@PathVariable String namespace, ServerWebExchange exchange) {
		String tenant = Tenant.of(exchange);
		checkNamespace(namespace);
		URI uri = exchange.getRequest().getURI();
		return index.namespace(tenant, namespace, properties.maxListedFiles())
			.flatMapSequential(file -> answered(tenant, file, file.version(), uri)
				.map(answered -> new FileAnswer.Listed(answered, links.link(file, uri))), IMAGE_READS)
			.collectList()
			.map(files -> new FileAnswer.Listing(200, "true", "Successfully listed files", namespace, files))
			.onErrorMap(FileServiceController::unavailable);
	}

	@DeleteMapping(BASE + "/{namespace}/{filename}")
	Mono<FileAnswer.Deleted> delete(@PathVariable String namespace, @PathVariable String filename,
			@RequestParam(name = "version", required = false) String version, ServerWebExchange exchange) {
		String tenant = Tenant.of(exchange);
		checkNames(namespace, filename);
		if (version == null) {
			throw FileServiceErrors.badRequest("Say which version to delete: ?version=N.");
		}
		int number = versionNumber(version);
		return index.delete(tenant, namespace, filename, number)
			.switchIfEmpty(Mono.error(() -> noSuchFile(namespace, filename, version)))
			.flatMap(deleted -> Mono.fromFuture(() -> s3.deleteObject(request -> request.bucket(bucket).key(deleted.key())))
				.onErrorResume(ex -> {
					logger.warn("Could not delete the bytes of a deleted file-service version: " + ex);
					return Mono.empty();
				})
				.then(images.discard(tenant, deleted))
				.then(index.versions(tenant, namespace, filename))
				.map(versions -> new FileAnswer.Deleted(200, "true", "Successfully deleted file",
						FileAnswer.File.of(deleted, versions.latest(), bucket))))
			.onErrorMap(FileServiceController::unavailable);
	}

	/** Queues the check of an image's bytes (none for a document or a placeholder); emits its batch id, if any. */
	private Mono<Optional<String>> imageCheck(String tenant, String handle, Acl access, FileBody.Stored stored,
			String filename) {
		if (!stored.type().image() || stored.size() == 0) {
			return Mono.just(Optional.empty());
		}
		return images.queue(tenant, handle, access, stored, filename).map(Optional::of);
	}

	/** A version as answered by the extensions: with its {@code image} when it is an image. */
	private Mono<FileAnswer.File> answered(String tenant, FileVersion version, int latest, URI uri) {
		FileAnswer.File file = FileAnswer.File.of(version, latest, bucket);
		return images.image(tenant, version, uri).map(file::with).defaultIfEmpty(file);
	}

	private static ApiProblem noSuchFile(String namespace, String filename, String version) {
		return FileServiceErrors.notFound("No file " + namespace + "/" + filename
				+ ((version != null) ? " with version " + version : "") + " exists.");
	}

	private static void checkNames(String namespace, String filename) {
		checkNamespace(namespace);
		if (filename.isEmpty() || filename.length() > MAX_NAME || filename.equals(".") || filename.equals("..")
				|| filename.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '/' || c == '\\')) {
			throw nameRefused();
		}
	}

	/**
	 * A name a new version is stored under is also not blank and has no C1 or bidi control, line
	 * separator or U+FFFD (bytes that were not UTF-8); names stored before stay readable.
	 */
	private static void checkNewName(String filename) {
		if (filename.isBlank() || filename.indexOf('\uFFFD') >= 0 || !DisplayNames.isClean(filename)) {
			throw nameRefused();
		}
	}

	private static ApiProblem nameRefused() {
		return FileServiceErrors.badRequest(
				"The file name must be 1 to " + MAX_NAME + " characters without slashes or control characters.");
	}

	private static void checkNamespace(String namespace) {
		if (!NAMESPACE.matcher(namespace).matches()) {
			throw FileServiceErrors.badRequest(
					"The namespace must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
		}
	}

	private static int versionNumber(String version) {
		try {
			int number = Integer.parseInt(version.strip());
			if (number > 0) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// refused below
		}
		throw FileServiceErrors.badRequest("version must be a positive integer.");
	}

	/**
	 * Any failure that is neither an answer already nor a body that stopped arriving (408, answered
	 * by the error handler in the service's shape) is storage being unavailable (503, the service's
	 * shape). A broken connection is not told apart: S3's and the client's look alike.
	 */
	private static Throwable unavailable(Throwable ex) {
		if (ex instanceof ApiProblem || ex instanceof ReadTimeoutException) {
			return ex;
		}
		logger.warn("File service request failed: " + ex);
		return FileServiceErrors.unavailable("File storage is temporarily unavailable, please retry.");
	}

}
