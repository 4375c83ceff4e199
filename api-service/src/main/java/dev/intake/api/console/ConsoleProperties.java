package dev.intake.api.console;

import java.net.URI;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The web console ({@code intake.console.*}).
 *
 * @param imageOrigins origins (scheme, host, port) besides the api-service's own that the console may
 * load thumbnails from, e.g. the CDN in front of {@code intake.images.public-base-url}; empty (the
 * default) allows only the page's own origin, which serves {@code /i/}
 */
@ConfigurationProperties("intake.console")
record ConsoleProperties(List<URI> imageOrigins) {

	ConsoleProperties {
		imageOrigins = (imageOrigins != null) ? List.copyOf(imageOrigins) : List.of();
		for (URI origin : imageOrigins) {
			boolean web = "https".equalsIgnoreCase(origin.getScheme()) || "http".equalsIgnoreCase(origin.getScheme());
			boolean bare = origin.getRawPath() == null || origin.getRawPath().isEmpty() || "/".equals(origin.getRawPath());
			if (!web || origin.getHost() == null || !bare || origin.getRawQuery() != null
					|| origin.getRawUserInfo() != null || origin.getRawFragment() != null) {
				throw new IllegalArgumentException("intake.console.image-origins: '" + origin
						+ "' is not an http(s) origin such as https://cdn.example.com");
			}
		}
	}

	/** The origins in the form a Content-Security-Policy source list takes. */
	List<String> sources() {
		return imageOrigins.stream()
			.map(origin -> origin.getScheme().toLowerCase() + "://" + origin.getHost().toLowerCase()
					+ ((origin.getPort() >= 0) ? ":" + origin.getPort() : ""))
			.toList();
	}

}
