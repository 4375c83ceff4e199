package dev.intake.cli.upload;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import dev.intake.cli.CliException;
import dev.intake.cli.Exit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadPlanTest {

	@TempDir
	Path dir;

	@Test
	void sevenHundredFilesMakeBatchesOf300300And100InOrder() {
		List<UploadPlan.Part> parts = new ArrayList<>();
		for (int i = 0; i < 700; i++) {
			parts.add(part("f" + i + ".png", 1));
		}

		List<UploadPlan.Batch> batches = UploadPlan.split(parts, 300, null);

		assertThat(batches).extracting(UploadPlan.Batch::images).containsExactly(300, 300, 100);
		assertThat(batches.get(1).parts().get(0).filename()).isEqualTo("f300.png");
		assertThat(batches).extracting(UploadPlan.Batch::batchId).containsOnlyNulls();
	}

	@Test
	void aZipCountsItsEntriesAndStartsANewBatchRatherThanPassTheLimit() {
		List<UploadPlan.Part> parts = List.of(part("a.png", 1), part("b.png", 1), part("set.zip", 3), part("c.png", 1));

		List<UploadPlan.Batch> batches = UploadPlan.split(parts, 4, "shop");

		assertThat(batches).extracting(UploadPlan.Batch::images).containsExactly(2, 4);
		assertThat(batches).extracting(UploadPlan.Batch::batchId).containsExactly("shop-1", "shop-2");
	}

	@Test
	void aPartOverTheLimitGoesAloneSoTheServerCanSayWhy() {
		List<UploadPlan.Batch> batches = UploadPlan.split(List.of(part("a.png", 1), part("huge.zip", 400),
				part("b.png", 1)), 300, null);

		assertThat(batches).extracting(UploadPlan.Batch::images).containsExactly(1, 400, 1);
	}

	@Test
	void oneBatchKeepsTheBatchIdAsGiven() {
		assertThat(UploadPlan.split(List.of(part("a.png", 1)), 300, "my-batch")).extracting(UploadPlan.Batch::batchId)
			.containsExactly("my-batch");
	}

	@Test
	void aBatchIdTheServerWouldRefuseIsAUsageError() {
		assertThatThrownBy(() -> UploadPlan.batchIdOf("bad id", 1, 1)).isInstanceOf(CliException.class)
			.extracting(ex -> ((CliException) ex).exitCode())
			.isEqualTo(Exit.USAGE);
		assertThatThrownBy(() -> UploadPlan.batchIdOf("x".repeat(63), 1, 2)).isInstanceOf(CliException.class);
	}

	@Test
	void foldersAreWalkedInOrderTakingImagesAndZipsOnly() throws IOException {
		Files.createDirectories(dir.resolve("photos/sub"));
		Files.write(dir.resolve("photos/b.png"), new byte[] { 1 });
		Files.write(dir.resolve("photos/a.JPG"), new byte[] { 1 });
		Files.write(dir.resolve("photos/sub/c.gif"), new byte[] { 1 });
		Files.write(dir.resolve("photos/notes.txt"), new byte[] { 1 });
		Files.write(dir.resolve("photos/.hidden.png"), new byte[] { 1 });
		zip(dir.resolve("photos/set.zip"), "x.png", "y.png", "folder/", "folder/z.png");

		UploadPlan plan = UploadPlan.of(List.of(dir.resolve("photos")), null, null, 300);

		assertThat(plan.batches()).hasSize(1);
		assertThat(plan.batches().get(0).parts()).extracting(UploadPlan.Part::filename)
			.containsExactly("a.JPG", "b.png", "set.zip", "c.gif");
		assertThat(plan.batches().get(0).images()).isEqualTo(6);
		assertThat(plan.skipped()).extracting(p -> p.getFileName().toString())
			.containsExactlyInAnyOrder("notes.txt", ".hidden.png");
	}

	@Test
	void namesPairWithFilesOneToOne() throws IOException {
		Files.write(dir.resolve("a.png"), new byte[] { 1 });
		Files.write(dir.resolve("b.png"), new byte[] { 1 });

		UploadPlan plan = UploadPlan.of(List.of(dir.resolve("a.png"), dir.resolve("b.png")), List.of("hero", "side"),
				null, 300);

		assertThat(plan.batches().get(0).parts()).extracting(UploadPlan.Part::imageName).containsExactly("hero", "side");
		assertThatThrownBy(() -> UploadPlan.of(List.of(dir.resolve("a.png"), dir.resolve("b.png")), List.of("one"),
				null, 300))
			.isInstanceOf(CliException.class)
			.hasMessageContaining("1 names for 2 files");
	}

	@Test
	void aMissingPathOrABatchSizeOver300IsAUsageError() throws IOException {
		assertThatThrownBy(() -> UploadPlan.of(List.of(dir.resolve("nope.png")), null, null, 300))
			.isInstanceOf(CliException.class)
			.hasMessageContaining("No such file");
		Files.write(dir.resolve("a.png"), new byte[] { 1 });
		assertThatThrownBy(() -> UploadPlan.of(List.of(dir.resolve("a.png")), null, null, 301))
			.isInstanceOf(CliException.class)
			.hasMessageContaining("--batch-size");
	}

	@Test
	void theFingerprintFollowsTheFilesAndTheServer() throws IOException {
		Files.write(dir.resolve("a.png"), new byte[] { 1 });
		UploadPlan plan = UploadPlan.of(List.of(dir.resolve("a.png")), null, null, 300);
		String first = plan.fingerprint("http://127.0.0.1:8080");

		assertThat(UploadPlan.of(List.of(dir.resolve("a.png")), null, null, 300).fingerprint("http://127.0.0.1:8080"))
			.isEqualTo(first);
		assertThat(plan.fingerprint("http://127.0.0.1:9090")).isNotEqualTo(first);
		Files.write(dir.resolve("a.png"), new byte[] { 1, 2 });
		assertThat(UploadPlan.of(List.of(dir.resolve("a.png")), null, null, 300).fingerprint("http://127.0.0.1:8080"))
			.isNotEqualTo(first);
	}

	private static UploadPlan.Part part(String name, int images) {
		return new UploadPlan.Part(Path.of("/tmp", name), 10, 0, images, null);
	}

	static void zip(Path file, String... entries) throws IOException {
		try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
			for (String entry : entries) {
				zip.putNextEntry(new ZipEntry(entry));
				if (!entry.endsWith("/")) {
					zip.write(new byte[] { 1, 2, 3 });
				}
				zip.closeEntry();
			}
		}
	}

}
