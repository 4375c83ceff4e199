package dev.intake.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/configuration.md} is what {@link ConfigurationDocs} generates from the records'
 * metadata: a default or description changed in a record without regenerating the file fails
 * here. With {@code -Dconfiguration-docs.write=true} the file is rewritten instead.
 */
class ConfigurationDocsTest {

	@Test
	void everyServiceContributesDocumentedSettings() throws Exception {
		List<ConfigurationDocs.Setting> settings = ConfigurationDocs.settings(getClass().getClassLoader());
		Map<String, ConfigurationDocs.Setting> byName = ConfigurationDocs.byName(settings);

		assertThat(byName).containsKeys("intake.s3.bucket", "intake.topics.job-partitions", "intake.upload.max-images",
				"intake.worker.jobs.concurrency", "intake.worker.jobs.retry.max-retries", "intake.status.retention",
				"intake.status.events.heartbeat");
		assertThat(settings).allSatisfy(setting -> assertThat(setting.description())
			.as("Javadoc @param of %s in %s", setting.name(), setting.sourceType())
			.isNotBlank());
		assertThat(byName.get("intake.worker.jobs.concurrency").defaultValue()).isEqualTo("8");
		assertThat(byName.get("intake.worker.fetch.allowed-ports").defaultValue()).isEqualTo("80,443");
	}

	@Test
	void committedFileIsCurrent() throws Exception {
		String generated = ConfigurationDocs.generate();
		if (Boolean.getBoolean("configuration-docs.write")) {
			ConfigurationDocs.main(new String[0]);
		}
		assertThat(Files.readString(ConfigurationDocs.target(), StandardCharsets.UTF_8))
			.as("docs/configuration.md is stale: regenerate it (see its header)")
			.isEqualTo(generated);
	}

	@Test
	void rendersJavadocAndTypesAsMarkdown() {
		assertThat(ConfigurationDocs.text("largest {@code data} value,\n   per {@link Topics#JOBS}"))
			.isEqualTo("Largest `data` value, per `Topics#JOBS`");
		assertThat(ConfigurationDocs.simpleType(
				"java.util.Map<java.lang.String,dev.intake.api.auth.SecurityProperties$ApiKey>"))
			.isEqualTo("Map<String, ApiKey>");
		assertThat(ConfigurationDocs.simpleType("org.springframework.util.unit.DataSize")).isEqualTo("DataSize");
		assertThat(ConfigurationDocs.render(List.of(new ConfigurationDocs.Setting("intake.x.y", "java.lang.String", "",
				"a | b", "dev.intake.worker.X"))))
			.contains("| `intake.x.y` | String | (none) | A \\| b |");
	}

}
