package dev.intake.api.compat.fileservice;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The Capillary file service ({@code intake.file-service.*}).
 *
 * @param defaultAcl the ACL of an upload that does not ask for one ({@code ?acl=PUBLIC|PRIVATE})
 * @param linkExpiry how long a signed link ({@code secureFilePath}, the redirects) stays valid
 * @param presignedLinks true when clients can reach the S3 endpoint: signed links are then S3
 *        presigned GETs; false: Intake-signed links to its own {@code /f/} route
 * @param signingSecret the HMAC key of Intake-signed links; every api-service instance needs the
 *        same one. Empty: a random key per process (links then fail on other instances and after
 *        a restart)
 * @param publicBaseUrl the base URL clients reach the api-service at, for Intake-signed links
 *        (e.g. {@code https://files.example.com}); empty: the scheme and host of the request
 * @param maxFileSize largest file accepted
 * @param documents the document formats accepted besides images, by extension (the formats of
 *        the worker's document allowlist); recognised by their bytes, never by the name
 * @param maxListedFiles most files one namespace listing answers with
 * @param versionAttempts most version numbers one upload tries before it answers 503 (each attempt
 *        fails only because a concurrent upload to the same name took that number)
 */
@Validated
@ConfigurationProperties("intake.file-service")
record FileServiceProperties(@DefaultValue("PRIVATE") @NotNull Acl defaultAcl,
		@DefaultValue("1h") @NotNull Duration linkExpiry, @DefaultValue("false") boolean presignedLinks,
		@DefaultValue("") String signingSecret, URI publicBaseUrl,
		@DefaultValue("10MB") @NotNull DataSize maxFileSize,
		@DefaultValue({ "pdf", "txt", "csv", "doc", "docx", "xls", "xlsx", "mp4" }) @NotNull List<String> documents,
		@DefaultValue("1000") @Min(1) @Max(10_000) int maxListedFiles,
		@DefaultValue("64") @Min(1) @Max(10_000) int versionAttempts) {
}
