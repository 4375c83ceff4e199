package dev.intake.api.submission;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the JSON submit ({@code intake.submit.*}) on top of the shared {@code intake.upload.*}
 * ones (images per batch, image size, staging slots, drain budget).
 *
 * @param maxRequestSize largest JSON body read at all (300 Base64 images of 10 MB are about 4.1 GB)
 * @param maxStringSize largest JSON string other than a {@code data} value
 * @param maxUrlLength longest {@code url} of an item
 * @param maxDepth deepest nesting of the JSON body
 */
@Validated
@ConfigurationProperties("intake.submit")
public record SubmitProperties(@DefaultValue("4500MB") DataSize maxRequestSize, @DefaultValue("64KB") DataSize maxStringSize,
		@DefaultValue("2048") @Min(16) int maxUrlLength, @DefaultValue("32") @Min(4) @Max(1000) int maxDepth) {

}
