package dev.intake.api.compat.fileservice;

import java.net.URI;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.intake.api.auth.Tenant;
import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.ObjectKeys;
import dev.intake.platform.s3.IntakeBucket;
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
 * as names that do not exist.
 */
@RestController
class FileServiceController {

	static final String BASE = "/api_gateway/file-service";

	private static final Log logger = LogFactory.getLog(FileServiceController.class);

	private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	private static final int MAX_NAME = 255;

	private final FileBody body;

	private final VersionIndex index;

	private final SignedLinks links;

	private final FileServiceProperties properties;

	private final S3AsyncClient s3;

	private final String bucket;

	private final Clock clock;

	FileServiceController(FileBody body, VersionIndex index, SignedLinks links, FileServiceProperties properties,
			S3AsyncClient s3, IntakeBucket bucket) {
		this.body = body;
		this.index = index;
		this.links = links;
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
		Acl access = (acl == null) ? properties.defaultAcl() : Acl.parse(acl)
			.orElseThrow(() -> FileServiceErrors.badRequest("acl must be PUBLIC or PRIVATE."));
		String handle = UUID.randomUUID().toString();
		URI uri = exchange.getRequest().getURI();
		return body
			.read(exchange.getRequest(), filename,
					type -> ObjectKeys.vaultFile(tenant, access.segment(), handle, type.extension()))
			// once the bytes are stored, recording runs to its end even if the client goes away
			.flatMap(stored -> Mono.fromFuture(() -> index
				.record(tenant, namespace, filename,
						number -> new FileVersion(namespace, filename, number, access, stored.size(), handle,
								stored.type().contentType(), stored.key(), clock.instant().truncatedTo(ChronoUnit.SECONDS)))
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

	@GetMapping(BASE + "/{namespace}")
	Mono<FileAnswer.Listing> list(@PathVariable String namespace, ServerWebExchange exchange) {
		String tenant = Tenant.of(exchange);
		checkNamespace(namespace);
		URI uri = exchange.getRequest().getURI();
		return index.namespace(tenant, namespace, properties.maxListedFiles())
			.map(file -> new FileAnswer.Listed(FileAnswer.File.of(file, file.version(), bucket), links.link(file, uri)))
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
				.then(index.versions(tenant, namespace, filename))
				.map(versions -> new FileAnswer.Deleted(200, "true", "Successfully deleted file",
						FileAnswer.File.of(deleted, versions.latest(), bucket))))
			.onErrorMap(FileServiceController::unavailable);
	}

	private static ApiProblem noSuchFile(String namespace, String filename, String version) {
		return FileServiceErrors.notFound("No file " + namespace + "/" + filename
				+ ((version != null) ? " with version " + version : "") + " exists.");
	}

	private static void checkNames(String namespace, String filename) {
		checkNamespace(namespace);
		if (filename.isEmpty() || filename.length() > MAX_NAME || filename.equals(".") || filename.equals("..")
				|| filename.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '/' || c == '\\')) {
			throw FileServiceErrors.badRequest(
					"The file name must be 1 to " + MAX_NAME + " characters without slashes or control characters.");
		}
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

	/** Any failure that is not an answer already is storage being unavailable (503, the service's shape). */
	private static Throwable unavailable(Throwable ex) {
		if (ex instanceof ApiProblem) {
			return ex;
		}
		logger.warn("File service request failed: " + ex);
		return FileServiceErrors.unavailable("File storage is temporarily unavailable, please retry.");
	}

}
