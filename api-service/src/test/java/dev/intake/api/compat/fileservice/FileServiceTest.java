package dev.intake.api.compat.fileservice;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Capillary file service over the real S3 server: the document's example request replayed and
 * its answer compared field by field, versions under a race, placeholders, ACL and signed links,
 * fetch, list and delete, and refusals in the service's own error shape.
 */
@ApiServiceTest
class FileServiceTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String BASIC = "Basic "
			+ Base64.getEncoder().encodeToString(("any-user:" + TestServers.TOKEN).getBytes(StandardCharsets.UTF_8));

	@LocalServerPort
	int port;

	@Autowired
	SignedLinks links;

	@Autowired
	VersionIndex index;

	@Autowired
	S3Presigner presigner;

	WebTestClient client;

	String namespace;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
		namespace = "ns-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void theDocumentsExampleIsAnsweredFieldByField() {
		upload("rewards-" + namespace, "test.png", form("file", "IMG_20220730_180352311.png", TestImages.png(4, 3)));
		byte[] png = TestImages.png(7, 5);

		JsonNode answer = upload("rewards-" + namespace, "test.png", form("file", "IMG_20220730_180352311.png", png));

		assertThat(names(answer)).containsExactly("code", "status", "message", "file", "secureFilePath");
		assertThat(answer.path("code").isInt()).isTrue();
		assertThat(answer.path("code").asInt()).isEqualTo(200);
		assertThat(answer.path("status").asString()).isEqualTo("true");
		assertThat(answer.path("message").asString()).isEqualTo("Successfully uploaded file");
		JsonNode file = answer.path("file");
		assertThat(names(file)).containsExactly("name", "namespace", "version", "acl", "fileSize", "file_handle",
				"content_type", "s3_token", "latest_version", "last_modified", "s3_url");
		assertThat(file.path("name").asString()).isEqualTo("test.png");
		assertThat(file.path("namespace").asString()).isEqualTo("rewards-" + namespace);
		assertThat(file.path("version").isInt()).isTrue();
		assertThat(file.path("version").asInt()).isEqualTo(2);
		assertThat(file.path("acl").asString()).isEqualTo("PRIVATE");
		assertThat(file.path("fileSize").isString()).isTrue();
		assertThat(file.path("fileSize").asString()).isEqualTo(Integer.toString(png.length));
		assertThat(UUID.fromString(file.path("file_handle").asString())).isNotNull();
		assertThat(file.path("content_type").asString()).isEqualTo("image/png");
		String key = file.path("s3_token").asString();
		assertThat(key).isEqualTo("vault/local/private/" + file.path("file_handle").asString() + ".png");
		assertThat(file.path("latest_version").asInt()).isEqualTo(2);
		assertThat(file.path("last_modified").asString()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
		assertThat(file.path("s3_url").asString()).isEqualTo("s3://" + TestServers.BUCKET + "/" + key);
		assertThat(TestServers.read(key)).isEqualTo(png);
		String link = answer.path("secureFilePath").asString();
		assertThat(link).contains("expires=").contains("signature=");
		assertThat(get(link)).isEqualTo(png);
	}

	@Test
	void rawBytesAreAcceptedAndRecognisedByTheirBytesNotTheirName() {
		byte[] pdf = TestImages.pdf();

		JsonNode file = raw(namespace, "report.png", pdf, "").path("file");

		assertThat(file.path("content_type").asString()).isEqualTo("application/pdf");
		assertThat(file.path("s3_token").asString()).endsWith(".pdf");
		assertThat(TestServers.read(file.path("s3_token").asString())).isEqualTo(pdf);

		// what curl --data-binary sends
		JsonNode sent = client.post()
			.uri("/api_gateway/file-service/{ns}/notes.csv", namespace)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("a,b\n1,2\n")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(sent.path("file").path("content_type").asString()).isEqualTo("text/csv");
		assertThat(sent.path("file").path("fileSize").asString()).isEqualTo("8");
	}

	@Test
	void noBodyMakesAPlaceholderVersionOfSizeZero() {
		JsonNode answer = client.post()
			.uri("/api_gateway/file-service/{ns}/{name}", namespace, "later.png")
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();

		JsonNode file = answer.path("file");
		assertThat(file.path("version").asInt()).isEqualTo(1);
		assertThat(file.path("fileSize").asString()).isEqualTo("0");
		assertThat(file.path("content_type").asString()).isEqualTo("image/png");
		assertThat(TestServers.read(file.path("s3_token").asString())).isEmpty();

		JsonNode next = upload(namespace, "later.png", form("file", "x.png", TestImages.png(2, 2)));
		assertThat(next.path("file").path("version").asInt()).isEqualTo(2);
	}

	@Test
	void aFileUnderAnyFieldNameIsTheFile() {
		JsonNode file = upload(namespace, "doc.txt", form("attachment", "notes.txt", "hello\n".getBytes()))
			.path("file");

		assertThat(file.path("content_type").asString()).isEqualTo("text/plain");
		assertThat(file.path("fileSize").asString()).isEqualTo("6");
	}

	/** curl -F 'file=<a.png;type=image/png': bytes without a file name under 'file' are the file; other parts are not. */
	@Test
	void aPartOfBytesWithoutAFileNameIsTheFileATextFieldIsNot() {
		byte[] png = TestImages.png(3, 3);
		MultipartBodyBuilder bytes = new MultipartBodyBuilder();
		bytes.part("file", png, MediaType.IMAGE_PNG);
		JsonNode file = upload(namespace, "nameless.png", bytes).path("file");
		assertThat(file.path("fileSize").asString()).isEqualTo(String.valueOf(png.length));
		assertThat(TestServers.read(file.path("s3_token").asString())).isEqualTo(png);

		// other nameless parts (metadata as JSON) beside the file are not the file
		MultipartBodyBuilder withMetadata = form("file", "a.png", png);
		withMetadata.part("meta", "{\"a\":1}", MediaType.APPLICATION_JSON);
		assertThat(upload(namespace, "with-meta.png", withMetadata).path("file").path("fileSize").asString())
			.isEqualTo(String.valueOf(png.length));
	}

	/** A body that says it is multipart is a form or nothing: never stored as the file's bytes, never a placeholder. */
	@Test
	void aMalformedFormOrOneWithoutAFileIsA400AndNothingIsRecorded() throws Exception {
		byte[] png = TestImages.png(2, 2);
		// read as raw bytes, the envelope of a text file is text too, and would be stored as the file
		byte[] envelope = ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
				+ "Content-Type: text/plain\r\n\r\nhello world\n\r\n--b--\r\n").getBytes(StandardCharsets.ISO_8859_1);
		byte[] textOnly = "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nhello\r\n--b--\r\n"
			.getBytes(StandardCharsets.ISO_8859_1);
		Map<String, byte[]> refused = new java.util.LinkedHashMap<>();
		refused.put("multipart/form-data; boundary=", envelope);
		refused.put("multipart/mixed; boundary=b", envelope);
		refused.put("multipart/form-data;;;", envelope);
		refused.put("Multipart/Form-Data; boundary=b", textOnly);
		HttpClient http = HttpClient.newHttpClient();
		for (Map.Entry<String, byte[]> request : refused.entrySet()) {
			HttpResponse<String> answer = http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port + "/api_gateway/file-service/" + namespace + "/x.txt"))
				.header(HttpHeaders.AUTHORIZATION, BASIC)
				.header(HttpHeaders.CONTENT_TYPE, request.getKey())
				.POST(HttpRequest.BodyPublishers.ofByteArray(request.getValue()))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(request.getKey()).isEqualTo(400);
			assertThat(JSON.readTree(answer.body()).path("status").asString()).isEqualTo("false");
		}
		client.get()
			.uri("/api_gateway/file-service/{ns}/x.txt", namespace)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.exchange()
			.expectStatus()
			.isNotFound();

		// raw bytes under any other Content-Type, even one that does not parse, are the file
		for (String type : List.of("text/html", "image/png;;;")) {
			HttpResponse<String> answer = http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port + "/api_gateway/file-service/" + namespace + "/raw.png"))
				.header(HttpHeaders.AUTHORIZATION, BASIC)
				.header(HttpHeaders.CONTENT_TYPE, type)
				.POST(HttpRequest.BodyPublishers.ofByteArray(png))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(type).isEqualTo(200);
			assertThat(JSON.readTree(answer.body()).path("file").path("fileSize").asString())
				.isEqualTo(String.valueOf(png.length));
		}
		// and a body declared empty is a placeholder, whatever the Content-Type says
		HttpResponse<String> placeholder = http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/api_gateway/file-service/" + namespace + "/later.png"))
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.header(HttpHeaders.CONTENT_TYPE, "multipart/form-data")
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(placeholder.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(placeholder.body()).path("file").path("fileSize").asString()).isEqualTo("0");
	}

	@Test
	void twentyUploadsRacingForOneNameGetVersionsOneToTwentyEachWithItsBytes() {
		int count = 20;
		WebClient web = WebClient.builder().baseUrl("http://127.0.0.1:" + port).build();
		Map<Integer, byte[]> sent = new HashMap<>();
		List<Map.Entry<Integer, byte[]>> answers = Flux.range(0, count).flatMap(i -> {
			byte[] bytes = TestImages.png(3 + i, 2);
			MultipartBodyBuilder form = form("file", "race.png", bytes);
			return web.post()
				.uri("/api_gateway/file-service/{ns}/race.png", namespace)
				.header(HttpHeaders.AUTHORIZATION, BASIC)
				.body(BodyInserters.fromMultipartData(form.build()))
				.retrieve()
				.bodyToMono(JsonNode.class)
				// more than the tenant's submissions in flight are refused with 429: a client retries them
				.retryWhen(Retry.fixedDelay(600, Duration.ofMillis(50))
					.filter(WebClientResponseException.TooManyRequests.class::isInstance))
				.map(answer -> Map.entry(answer.path("file").path("version").asInt(), bytes));
		}, count).collectList().block();

		Set<Integer> versions = new TreeSet<>();
		for (Map.Entry<Integer, byte[]> answer : answers) {
			assertThat(versions.add(answer.getKey())).as("version %s given twice", answer.getKey()).isTrue();
			sent.put(answer.getKey(), answer.getValue());
		}
		List<Integer> expected = new ArrayList<>();
		for (int v = 1; v <= count; v++) {
			expected.add(v);
		}
		assertThat(versions).containsExactlyElementsOf(expected);
		for (int v = 1; v <= count; v++) {
			assertThat(get(redirect(namespace, "race.png", "?version=" + v))).as("version %s", v).isEqualTo(sent.get(v));
		}
		assertThat(get(redirect(namespace, "race.png", ""))).isEqualTo(sent.get(count));
	}

	@Test
	void twentyClaimsRacingInTheIndexGetTwentyConsecutiveNumbers() {
		int count = 20;
		List<Integer> numbers = Flux.range(0, count)
			.flatMap(i -> index.record("local", namespace, "claims.bin",
					v -> new FileVersion(namespace, "claims.bin", v, Acl.PRIVATE, 0, "h" + i, "text/plain", "k" + i,
							Instant.EPOCH, null)),
					count)
			.map(FileVersion::version)
			.collectList()
			.block();

		assertThat(new TreeSet<>(numbers)).hasSize(count).first().isEqualTo(1);
		assertThat(new TreeSet<>(numbers).last()).isEqualTo(count);
		assertThat(index.latest("local", namespace, "claims.bin").block().version()).isEqualTo(count);
	}

	@Test
	void aTamperedAnExpiredOrAMissingSignatureIsRefused() {
		JsonNode answer = upload(namespace, "secret.png", form("file", "secret.png", TestImages.png(3, 3)));
		String link = answer.path("secureFilePath").asString();
		String key = answer.path("file").path("s3_token").asString();
		String signature = link.substring(link.indexOf("signature=") + "signature=".length());
		char last = signature.charAt(signature.length() - 1);
		String tampered = link.substring(0, link.length() - 1) + ((last == '0') ? '1' : '0');
		String laterExpiry = link.replaceFirst("expires=(\\d+)", "expires=" + (Instant.now().getEpochSecond() + 86_400));
		String expired = links.originLink(key, Instant.now().minusSeconds(1), URI.create("http://127.0.0.1:" + port));
		String unsigned = link.substring(0, link.indexOf('?'));

		for (String refused : List.of(tampered, laterExpiry, expired, unsigned)) {
			client.get()
				.uri(URI.create(refused))
				.exchange()
				.expectStatus()
				.isForbidden()
				.expectBody()
				.jsonPath("$.code").isEqualTo(403)
				.jsonPath("$.status").isEqualTo("false")
				.jsonPath("$.message").isNotEmpty();
		}
		assertThat(get(link)).isEqualTo(TestServers.read(key));
	}

	@Test
	void whereClientsReachS3TheLinkIsAPresignedGetThatS3Verifies() throws Exception {
		JsonNode file = upload(namespace, "direct.png", form("file", "direct.png", TestImages.png(4, 4))).path("file");
		FileVersion version = index.latest("local", namespace, "direct.png").block();
		FileServiceProperties presigning = new FileServiceProperties(Acl.PRIVATE, Duration.ofHours(1), true, "", null,
				org.springframework.util.unit.DataSize.ofMegabytes(10), List.of("pdf"), 1000, 64);
		SignedLinks direct = new SignedLinks(presigning, presigner, TestServers.BUCKET, java.time.Clock.systemUTC());

		String link = direct.link(version, URI.create("http://127.0.0.1:" + port));

		assertThat(link).startsWith(TestServers.s3Endpoint().toString()).contains("X-Amz-Signature=").contains("X-Amz-Expires=3600");
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<byte[]> read = http.send(HttpRequest.newBuilder(URI.create(link)).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(read.body()).isEqualTo(TestServers.read(file.path("s3_token").asString()));
		assertThat(read.headers().firstValue("Content-Type")).hasValue("image/png");
		String tampered = link.replace("X-Amz-Expires=3600", "X-Amz-Expires=7200");
		assertThat(http.send(HttpRequest.newBuilder(URI.create(tampered)).build(), HttpResponse.BodyHandlers.discarding())
			.statusCode()).isEqualTo(403);
	}

	@Test
	void aPrivateFileIsNeverServedByThePublicImageOrigin() {
		JsonNode file = upload(namespace, "private.png", form("file", "private.png", TestImages.png(5, 5))).path("file");
		String key = file.path("s3_token").asString();

		client.get().uri("/i/" + key).exchange().expectStatus().isNotFound();
		client.get().uri("/i/" + key.substring("vault/".length())).exchange().expectStatus().isNotFound();
		client.get().uri("/i/images/../" + key).exchange().expectStatus().is4xxClientError();
	}

	@Test
	void aPublicFileIsServedWithoutASignature() {
		JsonNode answer = raw(namespace, "open.png", TestImages.png(6, 6), "?acl=public");
		JsonNode file = answer.path("file");
		assertThat(file.path("acl").asString()).isEqualTo("PUBLIC");
		String link = answer.path("secureFilePath").asString();

		assertThat(get(link.substring(0, link.indexOf('?')))).isEqualTo(TestServers.read(file.path("s3_token").asString()));
		client.get().uri("/i/" + file.path("s3_token").asString()).exchange().expectStatus().isNotFound();
	}

	@Test
	void aNamespaceListsItsFilesWithTheirLatestVersions() {
		upload(namespace, "a.png", form("file", "a.png", TestImages.png(2, 2)));
		upload(namespace, "a.png", form("file", "a.png", TestImages.png(3, 2)));
		upload(namespace, "b.pdf", form("file", "b.pdf", TestImages.pdf()));
		upload("other-" + namespace, "c.png", form("file", "c.png", TestImages.png(2, 2)));

		JsonNode listing = client.get()
			.uri("/api_gateway/file-service/{ns}", namespace)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();

		assertThat(listing.path("status").asString()).isEqualTo("true");
		Map<String, Integer> latest = new HashMap<>();
		for (JsonNode listed : listing.path("files")) {
			latest.put(listed.path("file").path("name").asString(), listed.path("file").path("version").asInt());
			assertThat(listed.path("secureFilePath").asString()).contains("signature=");
		}
		assertThat(latest).containsExactlyInAnyOrderEntriesOf(Map.of("a.png", 2, "b.pdf", 1));
	}

	@Test
	void aDeletedVersionIsGoneAndItsNumberIsNeverGivenAgain() {
		byte[] first = TestImages.png(2, 2);
		upload(namespace, "d.png", form("file", "d.png", first));
		String key = upload(namespace, "d.png", form("file", "d.png", TestImages.png(3, 3))).path("file")
			.path("s3_token")
			.asString();

		JsonNode deleted = delete(namespace, "d.png", "?version=2").expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();

		assertThat(deleted.path("message").asString()).isEqualTo("Successfully deleted file");
		assertThat(deleted.path("file").path("version").asInt()).isEqualTo(2);
		assertThat(deleted.path("file").path("latest_version").asInt()).isEqualTo(1);
		assertThatThrownBy(() -> TestServers.read(key)).isInstanceOf(NoSuchKeyException.class);
		assertThat(get(redirect(namespace, "d.png", ""))).isEqualTo(first);
		client.get()
			.uri("/api_gateway/file-service/{ns}/d.png?version=2", namespace)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.status").isEqualTo("false");
		delete(namespace, "d.png", "?version=2").expectStatus().isNotFound();
		assertThat(upload(namespace, "d.png", form("file", "d.png", first)).path("file").path("version").asInt())
			.isEqualTo(3);
	}

	@Test
	void anotherTenantsFilesAnswerAsFilesThatDoNotExist() {
		upload(namespace, "mine.png", form("file", "mine.png", TestImages.png(2, 2)));

		client.get()
			.uri("/api_gateway/file-service/{ns}/mine.png", namespace)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TestServers.OTHER_TENANT_TOKEN)
			.exchange()
			.expectStatus()
			.isNotFound();
		client.get()
			.uri("/api_gateway/file-service/{ns}/mine.png", namespace)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isFound();
	}

	@Test
	void badRequestsAreRefusedInTheServicesShapeAndNothingIsRecorded() {
		client.post()
			.uri("/api_gateway/file-service/{ns}/x.png", namespace)
			.bodyValue(TestImages.png(2, 2))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"file-service\"")
			.expectBody()
			.json("{\"code\":401,\"status\":\"false\",\"message\":\"Missing or invalid credentials.\"}", true);
		refused(namespace, "x.png", "?acl=everyone", TestImages.png(2, 2)).expectBody()
			.json("{\"code\":400,\"status\":\"false\",\"message\":\"acl must be PUBLIC or PRIVATE.\"}", true);
		refused(namespace, "x.png", "", TestImages.html()).expectBody().jsonPath("$.code").isEqualTo(400);
		refused(namespace, "x.png", "", new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, (byte) 0xff, 0, 0 }).expectBody()
			.jsonPath("$.status")
			.isEqualTo("false");
		for (String form : List.of("no boundary", "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.png\"\r\n\r\n\u0089PNG",
				"garbage")) {
			client.post()
				.uri("/api_gateway/file-service/{ns}/x.png", namespace)
				.header(HttpHeaders.AUTHORIZATION, BASIC)
				.header(HttpHeaders.CONTENT_TYPE, form.equals("no boundary") ? "multipart/form-data" : "multipart/form-data; boundary=b")
				.bodyValue(form)
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("false");
		}
		refused("-bad", "x.png", "", TestImages.png(2, 2));
		refused(namespace, "..", "", TestImages.png(2, 2));

		client.get()
			.uri("/api_gateway/file-service/{ns}/x.png", namespace)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.exchange()
			.expectStatus()
			.isNotFound();
		assertThat(TestServers.s3()
			.listObjectsV2(list -> list.bucket(TestServers.BUCKET).prefix("vault/local/"))
			.contents()
			.stream()
			.filter(object -> object.size() == TestImages.html().length))
			.isEmpty();
	}

	@Test
	void aFormWhoseFileIsOfATypeNotAcceptedIsA400AndNothingIsRecorded() {
		byte[] large = new byte[256 * 1024];
		new java.util.Random(7).nextBytes(large);
		large[0] = 'M';
		large[1] = 'Z';
		Map<String, byte[]> files = Map.of("page.html", TestImages.html(), "tool.exe", new byte[] { 'M', 'Z', (byte) 0x90, 0 },
				"set.zip", TestImages.zip(), "big.exe", large);
		files.forEach((filename, bytes) -> {
			client.post()
				.uri("/api_gateway/file-service/{ns}/{name}", namespace, filename)
				.header(HttpHeaders.AUTHORIZATION, BASIC)
				.body(BodyInserters.fromMultipartData(form("file", filename, bytes).build()))
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.code").isEqualTo(400)
				.jsonPath("$.status").isEqualTo("false")
				.jsonPath("$.message").value(message -> assertThat((String) message).startsWith("The file is not of an accepted type"));
			client.get()
				.uri("/api_gateway/file-service/{ns}/{name}", namespace, filename)
				.header(HttpHeaders.AUTHORIZATION, BASIC)
				.exchange()
				.expectStatus()
				.isNotFound();
		});
	}

	@Test
	void badVersionsAndBadSignedLinkParametersAreRefusedInTheServicesShape() {
		for (String version : List.of("abc", "0", "-1", "99999999999")) {
			for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.DELETE)) {
				client.method(method)
					.uri("/api_gateway/file-service/{ns}/x.png?version={v}", namespace, version)
					.header(HttpHeaders.AUTHORIZATION, BASIC)
					.exchange()
					.expectStatus()
					.isBadRequest()
					.expectBody()
					.json("{\"code\":400,\"status\":\"false\",\"message\":\"version must be a positive integer.\"}", true);
			}
		}
		String file = java.util.UUID.randomUUID() + ".png";
		for (String query : List.of("?expires=abc&signature=00", "?expires=" + "9".repeat(30) + "&signature=00",
				"?expires=&signature=", "?signature=" + "f".repeat(64))) {
			client.get()
				.uri("/f/local/private/" + file + query)
				.exchange()
				.expectStatus()
				.isForbidden()
				.expectBody()
				.jsonPath("$.code").isEqualTo(403)
				.jsonPath("$.status").isEqualTo("false");
		}
		for (String path : List.of("/f/local/private/not-a-file.png", "/f/local/everyone/" + file, "/f/-bad/public/" + file)) {
			client.get()
				.uri(path)
				.exchange()
				.expectStatus()
				.isNotFound()
				.expectBody()
				.jsonPath("$.code").isEqualTo(404)
				.jsonPath("$.status").isEqualTo("false");
		}
	}

	@Test
	void refusalsOutsideTheControllerAreInTheServicesShapeToo() {
		client.put()
			.uri("/api_gateway/file-service/{ns}/x.png", namespace)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.bodyValue("x")
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectBody()
			.json("{\"code\":405,\"status\":\"false\",\"message\":\"Method not allowed.\"}", true);
		client.get()
			.uri("/api_gateway/file-service/{ns}/x.png/more", namespace)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.json("{\"code\":404,\"status\":\"false\",\"message\":\"Not found.\"}", true);
	}

	@Test
	void theRoutesWithATrailingSlashAreServedAsWithoutIt() {
		byte[] png = TestImages.png(3, 2);
		JsonNode uploaded = client.post()
			.uri("/api_gateway/file-service/{ns}/slash.png/", namespace)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.body(BodyInserters.fromMultipartData(form("file", "a.png", png).build()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(uploaded.path("file").path("name").asString()).isEqualTo("slash.png");
		client.get()
			.uri("/api_gateway/file-service/{ns}/", namespace)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.files[0].file.name")
			.isEqualTo("slash.png");
		client.get()
			.uri("/api_gateway/file-service/{ns}/slash.png/?metadata=true", namespace)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.file.version")
			.isEqualTo(1);
		for (String base : List.of("/api_gateway/file-service", "/api_gateway/file-service/")) {
			client.get()
				.uri(base)
				.header(HttpHeaders.AUTHORIZATION, BASIC)
				.exchange()
				.expectStatus()
				.isNotFound()
				.expectBody()
				.json("{\"code\":404,\"status\":\"false\",\"message\":\"Not found.\"}", true);
		}
	}

	@Test
	void aFileOverTheLimitIs413() {
		byte[] text = "a".repeat(10 * 1024 * 1024 + 1).getBytes(StandardCharsets.US_ASCII);
		client.post()
			.uri("/api_gateway/file-service/{ns}/big.txt", namespace)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.body(BodyInserters.fromMultipartData(form("file", "big.txt", text).build()))
			.exchange()
			.expectStatus()
			.isEqualTo(413)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo(413);
		client.get()
			.uri("/api_gateway/file-service/{ns}/big.txt", namespace)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	private WebTestClient.ResponseSpec refused(String ns, String name, String query, byte[] bytes) {
		return client.post()
			.uri("/api_gateway/file-service/" + ns + "/" + name + query)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(bytes)
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	private JsonNode upload(String ns, String name, MultipartBodyBuilder form) {
		return client.post()
			.uri("/api_gateway/file-service/{ns}/{name}", ns, name)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.body(BodyInserters.fromMultipartData(form.build()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private JsonNode raw(String ns, String name, byte[] bytes, String query) {
		return client.post()
			.uri("/api_gateway/file-service/" + ns + "/" + name + query)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(bytes)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private WebTestClient.ResponseSpec delete(String ns, String name, String query) {
		return client.delete()
			.uri("/api_gateway/file-service/" + ns + "/" + name + query)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.exchange();
	}

	/** The signed link a fetch redirects to. */
	private String redirect(String ns, String name, String query) {
		return client.get()
			.uri("/api_gateway/file-service/" + ns + "/" + name + query)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.exchange()
			.expectStatus()
			.isFound()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getLocation()
			.toString();
	}

	private byte[] get(String link) {
		return client.get()
			.uri(URI.create(link))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
	}

	private static MultipartBodyBuilder form(String field, String filename, byte[] bytes) {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part(field, new ByteArrayResource(bytes) {
			@Override
			public String getFilename() {
				return filename;
			}
		}).contentType(MediaType.APPLICATION_OCTET_STREAM);
		return form;
	}

	private static List<String> names(JsonNode node) {
		List<String> names = new ArrayList<>();
		node.propertyNames().forEach(names::add);
		return names;
	}

}
