package dev.intake.cli.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.intake.cli.ApiClient;
import dev.intake.cli.CliException;
import dev.intake.cli.Exit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The resume file of interrupted uploads ({@code .intake-upload.json} in the working directory by
 * default): for each upload, by its plan's fingerprint, every batch's {@code Idempotency-Key} and,
 * once the server accepted it, its batch id. The keys are written before the first byte is sent,
 * so a rerun of the same command skips accepted batches and sends the others with the same key:
 * a submit that reached the server before the interruption gets its first answer again and is not
 * queued twice. An upload that ran to its end is removed; the file is deleted once empty. Written
 * to a temporary file and moved into place, so a kill leaves the old or the new state, never half.
 */
final class UploadState {

	private final Path file;

	private final ObjectNode root;

	private final ObjectNode upload;

	private final String fingerprint;

	private UploadState(Path file, ObjectNode root, ObjectNode upload, String fingerprint) {
		this.file = file;
		this.root = root;
		this.upload = upload;
		this.fingerprint = fingerprint;
	}

	/** The state of this upload: the one recorded, or a new one with a fresh key per batch (saved). */
	static UploadState open(Path file, String fingerprint, int batches) {
		ObjectNode root = read(file);
		ObjectNode uploads = root.withObjectProperty("uploads");
		JsonNode known = uploads.get(fingerprint);
		if (known instanceof ObjectNode existing && existing.path("batches").size() == batches) {
			return new UploadState(file, root, existing, fingerprint);
		}
		ObjectNode upload = uploads.putObject(fingerprint);
		upload.put("started", Instant.now().toString());
		ArrayNode list = upload.putArray("batches");
		for (int i = 0; i < batches; i++) {
			list.addObject().put("idempotency_key", UUID.randomUUID().toString()).put("accepted", false);
		}
		UploadState state = new UploadState(file, root, upload, fingerprint);
		state.save();
		return state;
	}

	boolean resumed() {
		for (JsonNode batch : upload.path("batches")) {
			if (batch.path("accepted").asBoolean()) {
				return true;
			}
		}
		return false;
	}

	String idempotencyKey(int index) {
		return batch(index).path("idempotency_key").asString();
	}

	boolean accepted(int index) {
		return batch(index).path("accepted").asBoolean();
	}

	String batchId(int index) {
		return batch(index).path("batch_id").asString(null);
	}

	long totalCount(int index) {
		return batch(index).path("total_count").asLong();
	}

	void accept(int index, String batchId, long totalCount) {
		batch(index).put("accepted", true).put("batch_id", batchId).put("total_count", totalCount);
		save();
	}

	/** The upload ran to its end: forget it. */
	void finish() {
		root.withObjectProperty("uploads").remove(fingerprint);
		try {
			if (root.withObjectProperty("uploads").isEmpty()) {
				Files.deleteIfExists(file);
			}
			else {
				save();
			}
		}
		catch (IOException ex) {
			throw new CliException(Exit.USAGE, "Cannot update " + file + ": " + ex.getMessage(), ex);
		}
	}

	List<String> keys() {
		List<String> keys = new ArrayList<>();
		upload.path("batches").forEach(batch -> keys.add(batch.path("idempotency_key").asString()));
		return keys;
	}

	private ObjectNode batch(int index) {
		return (ObjectNode) upload.get("batches").get(index);
	}

	private void save() {
		try {
			Path dir = file.toAbsolutePath().getParent();
			Files.createDirectories(dir);
			Path temp = Files.createTempFile(dir, ".intake-upload", ".tmp");
			Files.writeString(temp, ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
			Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new CliException(Exit.USAGE, "Cannot write the resume file " + file + ": " + ex.getMessage(), ex);
		}
	}

	private static ObjectNode read(Path file) {
		if (!Files.exists(file)) {
			return ApiClient.JSON.createObjectNode();
		}
		try {
			JsonNode node = ApiClient.JSON.readTree(Files.readString(file));
			if (node instanceof ObjectNode object) {
				return object;
			}
		}
		catch (IOException | RuntimeException ex) {
			throw new CliException(Exit.USAGE, "The resume file " + file + " cannot be read (" + ex.getMessage()
					+ "); move it away to start afresh");
		}
		throw new CliException(Exit.USAGE, "The resume file " + file + " is not a JSON object; move it away");
	}

}
