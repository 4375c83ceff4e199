package dev.intake.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import dev.intake.testsupport.HostileImages;
import dev.intake.testsupport.LoopbackOrigin;
import dev.intake.testsupport.TestImages;

/**
 * The soak's batches: multipart, Base64 JSON, URL (from a loopback origin this class starts)
 * and ZIP submits in turn, each of {@link #ITEMS} items of which one (5 %) is a hostile file
 * from the hostile-input corpus's generators; the rest are distinct JPEGs. Each batch records
 * the outcome every item must end in, by the name the status reports for it.
 */
final class SoakLoad implements AutoCloseable {

	static final int ITEMS = 20;

	/** The kinds of submit, in the order they take turns. */
	enum Kind {
		MULTIPART, BASE64, URL, ZIP
	}

	/** A hostile file: its name (the extension of what it claims to be) and bytes. */
	record Hostile(String name, byte[] bytes) {
	}

	/** A submit ready to send and what each item (by name) must end as: true = stored. */
	record Batch(String batchId, Kind kind, BenchClient.Submit submit, Map<String, Boolean> expectedStored) {

		/** This batch without its request body, to be kept until the end of the soak. */
		Batch sent() {
			return new Batch(batchId, kind, null, expectedStored);
		}

	}

	private final String baseUrl;

	private final List<byte[]> jpegs = TestImages.noisyJpegs(40, 60_000, 7);

	private final List<Hostile> hostile = hostileSamples();

	private final LoopbackOrigin origin;

	private int next;

	SoakLoad(String baseUrl) throws IOException {
		this.baseUrl = baseUrl;
		this.origin = LoopbackOrigin.start();
		// /img/<batch>-<i>.jpg: a distinct JPEG per URL; /hostile/<k>/<name>: hostile sample k
		origin.route("/img/", exchange -> {
			String name = exchange.getRequestURI().getPath().substring("/img/".length());
			byte[] body = image(name);
			LoopbackOrigin.send(exchange, body.length, body);
		});
		origin.route("/hostile/", exchange -> {
			String[] parts = exchange.getRequestURI().getPath().split("/");
			byte[] body = hostile.get(Integer.parseInt(parts[2])).bytes();
			LoopbackOrigin.send(exchange, body.length, body);
		});
	}

	/** The hostile samples: pixel floods, structure loops, truncations and an entity bomb, each named as its format. */
	static List<Hostile> hostileSamples() {
		byte[] png = TestImages.png(16, 16);
		byte[] jpeg = TestImages.jpeg(400, 300);
		return List.of(new Hostile("flood.png", TestImages.pngClaiming(100000, 100000)),
				new Hostile("flood.jpg", HostileImages.jpegClaiming(65500, 65500)),
				new Hostile("frames.gif", HostileImages.gifFrames(2000, 1, 1)),
				new Hostile("loop.tiff", HostileImages.tiff(1, 1, 1, 0)),
				new Hostile("cut.png", Arrays.copyOf(png, 20)),
				new Hostile("truncated.jpg", Arrays.copyOf(jpeg, jpeg.length * 2 / 3)),
				new Hostile("bmp-flood.bmp", HostileImages.bmpClaiming(131168, 4096)),
				new Hostile("canvas.webp", HostileImages.webpCanvas(16777216, 16777216)),
				new Hostile("entries.ico", HostileImages.icoClaimingEntries(200)),
				new Hostile("laughs.svg", TestImages.ascii("<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
						+ "\"&a;&a;&a;&a;&a;&a;\">]><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\">&b;</svg>")));
	}

	int originPort() {
		return origin.port();
	}

	/** The next batch, of the next kind in turn; hostile samples and the hostile item's position rotate. */
	Batch next(String runId) {
		int n = next++;
		Kind kind = Kind.values()[n % Kind.values().length];
		String batchId = "soak-" + runId + "-" + n;
		int hostileAt = (n * 7) % ITEMS;
		int sample = n % hostile.size();
		Hostile bad = hostile.get(sample);
		Map<String, Boolean> expected = new LinkedHashMap<>();
		List<String> names = new ArrayList<>();
		List<byte[]> bodies = new ArrayList<>();
		for (int i = 0; i < ITEMS; i++) {
			String name = (i == hostileAt) ? "h" + i + "-" + bad.name() : batchId + "-" + i + ".jpg";
			names.add(name);
			expected.put(name, i != hostileAt);
			if (kind != Kind.URL) {
				bodies.add((i == hostileAt) ? bad.bytes() : image(name));
			}
		}
		BenchClient.Submit submit = switch (kind) {
			case MULTIPART -> multipart(batchId, names, bodies);
			case BASE64 -> base64(batchId, names, bodies);
			case URL -> urls(batchId, names, hostileAt, sample);
			case ZIP -> multipart(batchId, List.of(batchId + ".zip"), List.of(zip(names, bodies)));
		};
		return new Batch(batchId, kind, submit, expected);
	}

	/** A distinct JPEG for an item name (the same name gives the same bytes). */
	private byte[] image(String name) {
		return TestImages.variant(jpegs.get(Math.floorMod(name.hashCode(), jpegs.size())), name);
	}

	private BenchClient.Submit multipart(String batchId, List<String> names, List<byte[]> bodies) {
		String boundary = "----intake-soak-" + batchId;
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (int i = 0; i < names.size(); i++) {
			body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
					+ names.get(i) + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			body.writeBytes(bodies.get(i));
			body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"batch_id\"\r\n\r\n" + batchId
				+ "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		return new BenchClient.Submit(batchId, post("/batch-upload/submit-with-files",
				"multipart/form-data; boundary=" + boundary, body.toByteArray()));
	}

	private BenchClient.Submit base64(String batchId, List<String> names, List<byte[]> bodies) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("{\"batch_id\":\"" + batchId + "\",\"items\":[").getBytes(StandardCharsets.US_ASCII));
		for (int i = 0; i < names.size(); i++) {
			body.writeBytes((((i > 0) ? "," : "") + "{\"type\":\"base64\",\"image_name\":\"" + names.get(i)
					+ "\",\"data\":\"").getBytes(StandardCharsets.US_ASCII));
			body.writeBytes(Base64.getEncoder().encode(bodies.get(i)));
			body.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));
		}
		body.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
		return new BenchClient.Submit(batchId, post("/batch-upload/submit", "application/json", body.toByteArray()));
	}

	private BenchClient.Submit urls(String batchId, List<String> names, int hostileAt, int sample) {
		StringBuilder body = new StringBuilder("{\"batch_id\":\"" + batchId + "\",\"items\":[");
		for (int i = 0; i < names.size(); i++) {
			String name = names.get(i);
			String path = (i == hostileAt) ? "/hostile/" + sample + "/" + name : "/img/" + name;
			body.append((i > 0) ? "," : "").append("{\"type\":\"url\",\"url\":\"").append(origin.url(path)).append("\"}");
		}
		body.append("]}");
		return new BenchClient.Submit(batchId,
				post("/batch-upload/submit", "application/json", body.toString().getBytes(StandardCharsets.US_ASCII)));
	}

	private static byte[] zip(List<String> names, List<byte[]> bodies) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			for (int i = 0; i < names.size(); i++) {
				zip.putNextEntry(new ZipEntry("photos/" + names.get(i)));
				zip.write(bodies.get(i));
				zip.closeEntry();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	private HttpRequest post(String path, String contentType, byte[] body) {
		return HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofMinutes(2))
			.header("Authorization", "Bearer " + IntakeProcess.TOKEN)
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
	}

	@Override
	public void close() {
		origin.close();
	}

}
