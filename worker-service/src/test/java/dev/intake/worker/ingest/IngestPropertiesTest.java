package dev.intake.worker.ingest;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import dev.intake.contracts.DocumentFormat;
import dev.intake.worker.imaging.rendition.RenditionFormat;
import dev.intake.worker.imaging.rendition.RenditionSpec;
import dev.intake.worker.ingest.inspect.RenditionProfiles;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** How {@code intake.worker.*} settings bind: rendition profiles and the document allowlist. */
class IngestPropertiesTest {

	@Test
	void withNothingSetTheBuiltInProfilesAndAllDocumentFormatsApply() {
		IngestProperties props = bind(Map.of());
		RenditionProfiles profiles = props.renditionProfiles();

		assertThat(profiles.names()).containsExactlyInAnyOrder("default", "anqicms", "inventorum");
		assertThat(profiles.find(null)).contains(List.of(new RenditionSpec("thumb", 256), new RenditionSpec("preview", 1024)));
		assertThat(profiles.find("default")).isEqualTo(profiles.find(null));
		assertThat(profiles.find("anqicms")).contains(List.of(new RenditionSpec("thumb", 240)));
		assertThat(profiles.find("inventorum")).contains(List.of(new RenditionSpec("thumb", 150),
				new RenditionSpec("thumb_retina", 300), new RenditionSpec("ipad", 768), new RenditionSpec("image", 768),
				new RenditionSpec("ipad_retina", 1536), new RenditionSpec("ebay", 1600, RenditionFormat.JPEG)));
		assertThat(profiles.find("nursery")).isEmpty();
		assertThat(profiles.namedFormats()).containsExactly(RenditionFormat.JPEG);
		assertThat(props.allowedDocuments()).isEqualTo(EnumSet.allOf(DocumentFormat.class));
	}

	@Test
	void aConfiguredProfileReplacesTheBuiltInOneOfItsNameOnly() {
		IngestProperties props = bind(Map.of("intake.worker.renditions.profiles.default", "small:64",
				"intake.worker.renditions.profiles.shop", "square:500:webp, tiny:32"));
		RenditionProfiles profiles = props.renditionProfiles();

		assertThat(profiles.find(null)).contains(List.of(new RenditionSpec("small", 64)));
		assertThat(profiles.find("shop"))
			.contains(List.of(new RenditionSpec("square", 500, RenditionFormat.WEBP), new RenditionSpec("tiny", 32)));
		assertThat(profiles.find("anqicms")).contains(List.of(new RenditionSpec("thumb", 240)));
		assertThat(profiles.namedFormats()).containsExactlyInAnyOrder(RenditionFormat.JPEG, RenditionFormat.WEBP);
	}

	@Test
	void anEmptyProfileMakesNoRenditions() {
		assertThat(bind(Map.of("intake.worker.renditions.profiles.default", "")).renditionProfiles().find(null))
			.contains(List.of());
	}

	@Test
	void badProfilesAreRefusedAtStartUp() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> bind(Map.of("intake.worker.renditions.profiles.default", "thumb:256,thumb:512"))
				.renditionProfiles())
			.withMessageContaining("unique");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> bind(Map.of("intake.worker.renditions.profiles.default", "thumb:256:gif"))
				.renditionProfiles())
			.withMessageContaining("jpeg or webp");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> bind(Map.of("intake.worker.renditions.profiles.default", "Thumb:256")).renditionProfiles());
	}

	@Test
	void theDocumentAllowlistIsASetting() {
		assertThat(bind(Map.of("intake.worker.documents.allowed", "PDF, csv")).allowedDocuments())
			.containsExactlyInAnyOrder(DocumentFormat.PDF, DocumentFormat.CSV);
		assertThat(bind(Map.of("intake.worker.documents.allowed", "")).allowedDocuments()).isEmpty();
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> bind(Map.of("intake.worker.documents.allowed", "pdf,exe")).allowedDocuments())
			.withMessageContaining("exe");
	}

	private static IngestProperties bind(Map<String, String> settings) {
		try {
			return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("intake.worker",
					IngestProperties.class);
		}
		catch (BindException ex) {
			throw new AssertionError(ex);
		}
	}

}
