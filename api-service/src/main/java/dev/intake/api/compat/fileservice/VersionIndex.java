package dev.intake.api.compat.fileservice;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.intake.contracts.ObjectKeys;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The versions of file-service files, one small S3 object per version
 * ({@code vault-index/{tenant}/{sha256(namespace)}/{sha256(name)}/{v}.json}), written with
 * {@code If-None-Match: *}: of uploads racing for the same number exactly one wins, on one
 * instance or many, and the others take the next. A number is taken only once its bytes are
 * stored, so versions have no gaps; a deleted version keeps its record and gets a
 * {@code {v}.deleted} mark, so its number is never given again.
 */
final class VersionIndex {

	private static final int PRECONDITION_FAILED = 412;

	private static final Pattern ENTRY = Pattern.compile("(\\d{10})\\.(json|deleted)");

	/** Version records one listing reads at once. */
	private static final int READ_CONCURRENCY = 8;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final S3AsyncClient s3;

	private final String bucket;

	private final int attempts;

	VersionIndex(S3AsyncClient s3, String bucket, int attempts) {
		this.s3 = s3;
		this.bucket = bucket;
		this.attempts = attempts;
	}

	/** What the index holds for one name: every version number, and which of them are deleted. */
	record Versions(TreeSet<Integer> all, TreeSet<Integer> deleted) {

		int highest() {
			return all.isEmpty() ? 0 : all.last();
		}

		/** The newest version that is not deleted, 0 when there is none. */
		int latest() {
			return all.descendingSet().stream().filter(v -> !deleted.contains(v)).findFirst().orElse(0);
		}

		boolean live(int version) {
			return all.contains(version) && !deleted.contains(version);
		}

	}

	/** Records the next version of a name: {@code versionAt} makes the record for a number. */
	Mono<FileVersion> record(String tenant, String namespace, String name, IntFunction<FileVersion> versionAt) {
		return versions(tenant, namespace, name).flatMap(known -> claim(tenant, namespace, name,
				known.highest() + 1, versionAt, attempts));
	}

	private Mono<FileVersion> claim(String tenant, String namespace, String name, int number,
			IntFunction<FileVersion> versionAt, int left) {
		FileVersion version = versionAt.apply(number);
		return put(entry(tenant, namespace, name, number, "json"), JSON.writeValueAsBytes(version)).thenReturn(version)
			.onErrorResume(VersionIndex::preconditionFailed, ex -> (left > 1)
					? claim(tenant, namespace, name, number + 1, versionAt, left - 1)
					: Mono.error(FileServiceErrors.unavailable("Too many uploads to this name at once, please retry.")));
	}

	/** The version numbers of a name (empty sets when it has none). */
	Mono<Versions> versions(String tenant, String namespace, String name) {
		return list(folder(tenant, namespace, name)).reduce(new Versions(new TreeSet<>(), new TreeSet<>()),
				(versions, object) -> {
					Matcher entry = ENTRY.matcher(object.key().substring(object.key().lastIndexOf('/') + 1));
					if (entry.matches()) {
						int number = Integer.parseInt(entry.group(1));
						versions.all().add(number);
						if ("deleted".equals(entry.group(2))) {
							versions.deleted().add(number);
						}
					}
					return versions;
				});
	}

	/** A version's record; empty when there is no such version or it is deleted. */
	Mono<FileVersion> find(String tenant, String namespace, String name, int version) {
		return versions(tenant, namespace, name).filter(known -> known.live(version))
			.flatMap(known -> read(entry(tenant, namespace, name, version, "json")));
	}

	/** The newest live version of a name; empty when it has none. */
	Mono<FileVersion> latest(String tenant, String namespace, String name) {
		return versions(tenant, namespace, name).filter(known -> known.latest() > 0)
			.flatMap(known -> read(entry(tenant, namespace, name, known.latest(), "json")));
	}

	/** The newest live version of every file of a namespace, at most {@code limit} files, in the order of their name hashes. */
	Flux<FileVersion> namespace(String tenant, String namespace, int limit) {
		String prefix = ObjectKeys.vaultNamespace(tenant, sha256(namespace));
		Map<String, Versions> files = new LinkedHashMap<>();
		return list(prefix).doOnNext(object -> {
			String rest = object.key().substring(prefix.length());
			int slash = rest.indexOf('/');
			Matcher entry = ENTRY.matcher(rest.substring(slash + 1));
			if (slash > 0 && entry.matches()) {
				Versions versions = files.computeIfAbsent(rest.substring(0, slash),
						file -> new Versions(new TreeSet<>(), new TreeSet<>()));
				int number = Integer.parseInt(entry.group(1));
				versions.all().add(number);
				if ("deleted".equals(entry.group(2))) {
					versions.deleted().add(number);
				}
			}
		}).thenMany(Flux.defer(() -> {
			List<String> latest = new ArrayList<>();
			files.forEach((file, versions) -> {
				if (versions.latest() > 0 && latest.size() < limit) {
					latest.add(prefix + file + "/" + entryName(versions.latest(), "json"));
				}
			});
			return Flux.fromIterable(latest);
		})).flatMapSequential(this::read, READ_CONCURRENCY);
	}

	/**
	 * Marks a version deleted; emits its record, or nothing when there is no such live version (also
	 * when a concurrent delete marked it first).
	 */
	Mono<FileVersion> delete(String tenant, String namespace, String name, int version) {
		return find(tenant, namespace, name, version).flatMap(
				found -> put(entry(tenant, namespace, name, version, "deleted"), new byte[0]).thenReturn(found)
					.onErrorResume(VersionIndex::preconditionFailed, ex -> Mono.empty()));
	}

	private Flux<S3Object> list(String prefix) {
		return Flux.from(s3.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix)).contents());
	}

	private Mono<Void> put(String key, byte[] body) {
		return Mono.fromFuture(() -> s3.putObject(request -> request.bucket(bucket)
			.key(key)
			.contentType("application/json")
			.ifNoneMatch("*"), AsyncRequestBody.fromBytes(body))).then();
	}

	private Mono<FileVersion> read(String key) {
		return Mono
			.fromFuture(() -> s3.getObject(request -> request.bucket(bucket).key(key), AsyncResponseTransformer.toBytes()))
			.map(response -> JSON.readValue(response.asByteArray(), FileVersion.class))
			.onErrorResume(ex -> unwrap(ex) instanceof NoSuchKeyException, ex -> Mono.empty());
	}

	private static String folder(String tenant, String namespace, String name) {
		return ObjectKeys.vaultNamespace(tenant, sha256(namespace)) + sha256(name) + "/";
	}

	private static String entry(String tenant, String namespace, String name, int version, String kind) {
		return folder(tenant, namespace, name) + entryName(version, kind);
	}

	private static String entryName(int version, String kind) {
		return String.format("%010d.%s", version, kind);
	}

	static String sha256(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean preconditionFailed(Throwable ex) {
		return unwrap(ex) instanceof S3Exception s3 && s3.statusCode() == PRECONDITION_FAILED;
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

}
