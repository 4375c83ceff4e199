package dev.intake.api.submission.zip;

import dev.intake.api.publish.RecordingBatchPublisher;
import dev.intake.api.staging.UploadSlots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.SubmittedItem;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;


import static dev.intake.api.TestServers.bytes;
import static dev.intake.api.TestServers.read;
import static dev.intake.api.TestServers.deleteStaged;
import static dev.intake.api.TestServers.staged;
import static org.assertj.core.api.Assertions.assertThat;

/** ZIP archives in {@code POST /v1/batch-upload/submit-with-files}, expanded as they stream in. */
@ApiServiceTest
class SubmitZipTest {

	private static final String PATH = "/v1/batch-upload/submit-with-files";

	private static final int MB = 1024 * 1024;

	@LocalServerPort
	int port;

	@Autowired
	RecordingBatchPublisher publisher;

	@Autowired
	UploadSlots slots;

	WebTestClient client;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
		publisher.reset();
		deleteStaged();
	}

	@Test
	void expandsArchivesIntoImagesAndSkipsDirectoriesAndJunk() {
		byte[] red = bytes(5000, 1);
		byte[] blue = bytes(300_000, 2);
		byte[] single = bytes(700, 3);
		byte[] archive = zip(out -> {
			directory(out, "set/");
			entry(out, "set/red.png", red);
			entry(out, "__MACOSX/set/._red.png", bytes(10, 4));
			entry(out, "set/.DS_Store", bytes(10, 5));
			stored(out, "set/sub/blue.JPG", blue);
		});
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		file(body, "images-set-1.zip", archive);
		file(body, "single.gif", single);
		body.part("image_names", "product-set-1");
		body.part("image_names", "hero.gif");
		body.part("batch_id", "my-batch-zip-003");

		submit(body).expectStatus().isOk().expectBody().jsonPath("$.data.total_count").isEqualTo(3);

		BatchSubmitted batch = publisher.published().get(0).batch();
		assertThat(batch.items()).extracting(SubmittedItem::index).containsExactly(0, 1, 2);
		assertThat(batch.items()).extracting(SubmittedItem::name).containsExactly("red.png", "blue.JPG", "hero.gif");
		assertThat(batch.items()).extracting(SubmittedItem::archive)
			.containsExactly("images-set-1.zip", "images-set-1.zip", null);
		assertThat(batch.items()).extracting(SubmittedItem::entry)
			.containsExactly("set/red.png", "set/sub/blue.JPG", null);
		List<ItemSource.Staged> sources = batch.items().stream().map(item -> (ItemSource.Staged) item.source()).toList();
		assertThat(sources).extracting(source -> source.blob().contentType())
			.containsExactly("image/png", "image/jpeg", "application/octet-stream");
		assertThat(read(sources.get(0).blob().key())).isEqualTo(red);
		assertThat(read(sources.get(1).blob().key())).isEqualTo(blue);
		assertThat(read(sources.get(2).blob().key())).isEqualTo(single);
		assertThat(staged()).hasSize(3);
	}

	@Test
	void refusesUnsafeEntries() {
		expectRefused(zip(out -> entry(out, "../../evil.png", bytes(10, 1))),
				"The 1st file 'set.zip' entry '../../evil.png' has a path that leaves the archive ('..').");
		expectRefused(zip(out -> entry(out, "..\\..\\evil.png", bytes(10, 1))),
				"The 1st file 'set.zip' entry '../../evil.png' has a path that leaves the archive ('..').");
		expectRefused(zip(out -> entry(out, "/tmp/x.png", bytes(10, 1))),
				"The 1st file 'set.zip' entry '/tmp/x.png' has an absolute path.");
		expectRefused(zip(out -> entry(out, "C:/x.png", bytes(10, 1))),
				"The 1st file 'set.zip' entry 'C:/x.png' has an absolute path.");
		expectRefused(zip(out -> {
			entry(out, "a.png", bytes(10, 1));
			entry(out, "inner.zip", zip(inner -> entry(inner, "b.png", bytes(10, 2))));
		}), "The 1st file 'set.zip' entry 'inner.zip' is an archive; archives inside archives are not supported.");
		expectRefused(zip(out -> {
			entry(out, "dir/a.png", bytes(10, 1));
			entry(out, "DIR/A.png", bytes(10, 2));
		}), "The 1st file 'set.zip' entry 'DIR/A.png' has the same name as another entry.");
		expectRefused(zip(out -> entry(out, "readme.txt", bytes(10, 1))),
				"The 1st file 'set.zip' entry 'readme.txt' extension 'txt' is not supported.");
	}

	@Test
	void refusesEncryptedEntries() {
		expectRefused(storedEntry("secret.png", 0x0801, bytes(100, 1), false),
				"The 1st file 'set.zip' entry 'secret.png' is encrypted.");
	}

	@Test
	void refusesSymbolicLinksFoundInTheCentralDirectory() {
		expectRefused(zip(out -> {
			entry(out, "a.png", bytes(10, 1));
			ZipArchiveEntry link = new ZipArchiveEntry("link.png");
			link.setUnixMode(UnixStat.LINK_FLAG | 0777);
			write(out, link, "../../etc/passwd".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		}), "The 1st file 'set.zip' entry 'link.png' is a symbolic link.");
	}

	@Test
	void refusesAnArchiveWhoseCentralDirectoryDisagrees() {
		byte[] archive = zip(out -> entry(out, "innocent.png", bytes(100, 1)));
		// rename the entry in its local header only
		String text = new String(archive, java.nio.charset.StandardCharsets.ISO_8859_1);
		byte[] renamed = text.replaceFirst("innocent", "../../ev").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
		expectRefused(renamed, "The 1st file 'set.zip' entry '../../ev.png' has a path that leaves the archive ('..').");
		byte[] other = text.replaceFirst("innocent", "other123").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
		expectRefused(other, "The 1st file 'set.zip' lists other entries in its central directory than it contains; "
				+ "it reads differently in different tools.");
	}

	@Test
	void refusesAnEntryWhoseChecksumIsWrong() {
		byte[] archive = zip(out -> stored(out, "a.png", bytes(100, 1)));
		archive[14] ^= 1; // the CRC-32 of the local header
		expectRefused(archive, "The 1st file 'set.zip' entry 'a.png' is corrupt (its size or checksum does not match).");
	}

	@Test
	void stopsAZipBombAtTheSizeLimit() {
		byte[] bomb = zip(out -> entry(out, "bomb.png", new byte[200 * MB]));
		assertThat(bomb.length).isLessThan(MB);

		expectRefused(bomb,
				"The 1st file 'set.zip' entry 'bomb.png' size is over 10.00MB, exceeds the maximum limit of 10MB.");
	}

	@Test
	void refusesCorruptAndEmptyArchives() {
		expectRefused(bytes(5000, 9), "The 1st file 'set.zip' is not a valid ZIP archive.");
		byte[] truncated = zip(out -> entry(out, "a.png", bytes(100_000, 1)));
		expectRefused(java.util.Arrays.copyOf(truncated, 50_000), "The 1st file 'set.zip' is not a valid ZIP archive.");
		expectRefused(zip(out -> directory(out, "empty/")), "The 1st file 'set.zip' contains no images.");
	}

	@Test
	void refusesAnArchiveTheZipReaderFailsOn() {
		byte[] archive = zip(out -> {
			directory(out, "photos/");
			entry(out, "photos/a.png", bytes(100, 1));
		});
		archive[8] = 20; // a compression method nobody knows, for the skipped directory entry
		expectRefused(archive, "The 1st file 'set.zip' is not a valid ZIP archive.");
	}

	@Test
	void refusesAStoredEntryWithADataDescriptor() {
		expectRefused(storedEntry("a.png", 0x0808, bytes(100, 1), true),
				"The 1st file 'set.zip' entry 'a.png' is stored with a data descriptor, which cannot be read as it "
						+ "streams; compress it (deflate) or store it with its sizes.");
	}

	@Test
	void countsEntriesAgainstTheBatchLimit() {
		byte[] archive = zip(out -> {
			for (int i = 0; i < 300; i++) {
				entry(out, "img-" + i + ".png", bytes(8, i));
			}
		});
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		file(body, "a.png", bytes(10, 1));
		file(body, "set.zip", archive);
		expectRejected(body, "The number of images exceeds the maximum of 300 per batch.");
	}

	@Test
	void cleansUpWhenTheClientGoesAwayMidArchive() throws Exception {
		byte[] archive = zip(out -> stored(out, "big.png", bytes(8 * MB, 1)));
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
			java.io.OutputStream out = socket.getOutputStream();
			String head = "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"set.zip\"\r\n\r\n";
			out.write(("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestServers.TOKEN
					+ "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: " + (20 * MB)
					+ "\r\n\r\n" + head)
				.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			out.write(archive, 0, 4 * MB);
			out.flush();
			org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> slots.inUse() == 1);
		}
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> slots.inUse() == 0);
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> staged().isEmpty());
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void cleansUpEveryEntryStagedWhenTheClientGoesAwayMidArchive() throws Exception {
		// many small entries: several are stored (some still in the background) when the client leaves
		byte[] archive = zip(out -> {
			for (int i = 0; i < 60; i++) {
				stored(out, "e" + i + ".png", bytes(40_000, i));
			}
		});
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
			java.io.OutputStream out = socket.getOutputStream();
			String head = "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"set.zip\"\r\n\r\n";
			out.write(("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestServers.TOKEN
					+ "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: " + (archive.length + 200)
					+ "\r\n\r\n" + head)
				.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			out.write(archive, 0, archive.length / 2);
			out.flush();
			org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> staged().size() >= 5);
		}
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> slots.inUse() == 0);
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> staged().isEmpty());
		assertThat(publisher.published()).isEmpty();
	}

	private void expectRefused(byte[] archive, String message) {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		file(body, "set.zip", archive);
		file(body, "after.png", bytes(100, 7));
		expectRejected(body, message);
	}

	private void expectRejected(MultipartBodyBuilder body, String message) {
		submit(body).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo(1000)
			.jsonPath("$.message")
			.isEqualTo(message);
		assertThat(publisher.published()).isEmpty();
		assertThat(staged()).isEmpty();
	}

	private WebTestClient.ResponseSpec submit(MultipartBodyBuilder body) {
		return client.post()
			.uri(PATH)
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.bodyValue(body.build())
			.exchange();
	}

	private static void file(MultipartBodyBuilder body, String filename, byte[] content) {
		body.part("files", content).filename(filename).contentType(MediaType.APPLICATION_OCTET_STREAM);
	}

	static byte[] zip(Consumer<ZipArchiveOutputStream> entries) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
			entries.accept(out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	static void entry(ZipArchiveOutputStream out, String name, byte[] content) {
		write(out, new ZipArchiveEntry(name), content);
	}

	static void stored(ZipArchiveOutputStream out, String name, byte[] content) {
		ZipArchiveEntry entry = new ZipArchiveEntry(name);
		entry.setMethod(ZipMethod.STORED.getCode());
		entry.setSize(content.length);
		CRC32 crc = new CRC32();
		crc.update(content);
		entry.setCrc(crc.getValue());
		write(out, entry, content);
	}

	static void directory(ZipArchiveOutputStream out, String name) {
		ZipArchiveEntry entry = new ZipArchiveEntry(name);
		entry.setUnixMode(UnixStat.DIR_FLAG | 0755);
		write(out, entry, new byte[0]);
	}

	static void write(ZipArchiveOutputStream out, ZipArchiveEntry entry, byte[] content) {
		try {
			out.putArchiveEntry(entry);
			out.write(content);
			out.closeArchiveEntry();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** One STORED entry written by hand, with the given flags, its sizes before or after its data. */
	static byte[] storedEntry(String name, int flags, byte[] content, boolean dataDescriptor) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] nameBytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		CRC32 crc = new CRC32();
		crc.update(content);
		le(out, 0x04034b50, 4);
		le(out, 10, 2); // version needed
		le(out, flags, 2);
		le(out, 0, 2); // STORED
		le(out, 0, 4); // time, date
		le(out, dataDescriptor ? 0 : crc.getValue(), 4);
		le(out, dataDescriptor ? 0 : content.length, 4);
		le(out, dataDescriptor ? 0 : content.length, 4);
		le(out, nameBytes.length, 2);
		le(out, 0, 2);
		out.writeBytes(nameBytes);
		out.writeBytes(content);
		if (dataDescriptor) {
			le(out, 0x08074b50, 4);
			le(out, crc.getValue(), 4);
			le(out, content.length, 4);
			le(out, content.length, 4);
		}
		return out.toByteArray();
	}

	private static void le(ByteArrayOutputStream out, long value, int bytes) {
		for (int i = 0; i < bytes; i++) {
			out.write((int) (value >> (8 * i)) & 0xff);
		}
	}

}
