package dev.intake.api.compat.nursery;

import java.security.SecureRandom;

/**
 * The names the nursery image API gives uploaded files: 15 random letters and digits (kept with
 * the asset as {@value #ATTRIBUTE}) and the extension of the stored object, which is that of the
 * type recognised from the bytes. A file uploaded through another API is named by its stored object.
 */
final class GeneratedNames {

	/** The asset attribute that keeps the generated stem. */
	static final String ATTRIBUTE = "generated_name";

	private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	private static final int LENGTH = 15;

	private static final SecureRandom random = new SecureRandom();

	private GeneratedNames() {
	}

	static String newStem() {
		StringBuilder stem = new StringBuilder(LENGTH);
		for (int i = 0; i < LENGTH; i++) {
			stem.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return stem.toString();
	}

	/** The file's name: the stem with the stored object's extension, or the object's own name without a stem. */
	static String nameOf(String stem, String key) {
		String extension = extensionOf(key);
		if (stem == null || stem.isEmpty()) {
			return key.substring(key.lastIndexOf('/') + 1);
		}
		return extension.isEmpty() ? stem : stem + "." + extension;
	}

	/** The extension of an object key: what follows the last dot of its last segment, or "". */
	static String extensionOf(String key) {
		String name = key.substring(key.lastIndexOf('/') + 1);
		int dot = name.lastIndexOf('.');
		return (dot < 0) ? "" : name.substring(dot + 1);
	}

}
