package dev.intake.worker.ingest.inspect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.intake.worker.imaging.rendition.RenditionFormat;
import dev.intake.worker.imaging.rendition.RenditionSpec;


/**
 * The named sets of renditions a worker makes ({@code intake.worker.renditions.profiles}); a job
 * names its profile ({@code IngestOptions.renditionProfile}), none meaning {@link #DEFAULT}.
 * Names of renditions are unique within a profile.
 */
public final class RenditionProfiles {

	/** The profile of jobs that name none: the renditions the bach.art batch upload answers with. */
	static final String DEFAULT = "default";

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

	private final Map<String, List<RenditionSpec>> profiles;

	public RenditionProfiles(Map<String, List<RenditionSpec>> profiles) {
		if (!profiles.containsKey(DEFAULT)) {
			throw new IllegalArgumentException("a rendition profile named '" + DEFAULT + "' is required");
		}
		Map<String, List<RenditionSpec>> copy = new LinkedHashMap<>();
		profiles.forEach((name, specs) -> {
			if (name == null || !NAME.matcher(name).matches()) {
				throw new IllegalArgumentException("rendition profile names are 1-32 of a-z, 0-9, '_' and '-': " + name);
			}
			if (specs.stream().map(RenditionSpec::name).distinct().count() != specs.size()) {
				throw new IllegalArgumentException("rendition names must be unique within profile " + name);
			}
			copy.put(name, List.copyOf(specs));
		});
		this.profiles = Collections.unmodifiableMap(copy);
	}

	/** Only a default profile, of these renditions. */
	public static RenditionProfiles only(List<RenditionSpec> specs) {
		return new RenditionProfiles(Map.of(DEFAULT, specs));
	}

	/** The renditions of the named profile (null: the default one), empty when there is no such profile. */
	public Optional<List<RenditionSpec>> find(String name) {
		return Optional.ofNullable(profiles.get((name != null) ? name : DEFAULT));
	}

	public Set<String> names() {
		return profiles.keySet();
	}

	/** Every format a rendition names for itself. */
	public Set<RenditionFormat> namedFormats() {
		return profiles.values().stream().flatMap(List::stream).map(RenditionSpec::format)
			.filter(Objects::nonNull).collect(Collectors.toSet());
	}

}
