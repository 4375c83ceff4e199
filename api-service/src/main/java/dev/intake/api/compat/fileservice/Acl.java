package dev.intake.api.compat.fileservice;

import java.util.Locale;
import java.util.Optional;

/** Who may read a version: {@code PRIVATE} only through signed links, {@code PUBLIC} also by its plain link. */
enum Acl {

	PRIVATE, PUBLIC;

	/** The key segment of its objects ({@code private} or {@code public}). */
	String segment() {
		return name().toLowerCase(Locale.ROOT);
	}

	static Optional<Acl> parse(String value) {
		for (Acl acl : values()) {
			if (acl.name().equalsIgnoreCase(value.strip())) {
				return Optional.of(acl);
			}
		}
		return Optional.empty();
	}

}
