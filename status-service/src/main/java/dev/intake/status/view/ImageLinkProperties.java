package dev.intake.status.view;

import java.net.URI;

import dev.intake.status.progress.ObjectUrls;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How image URLs in status results and events are built ({@code intake.images.*}).
 *
 * @param publicBaseUrl prefix of every image URL: the URL of the object key is this plus the
 * key, e.g. a CDN in front of the bucket, or the api-service's image route
 */
@Validated
@ConfigurationProperties("intake.images")
public record ImageLinkProperties(
		@DefaultValue("http://127.0.0.1:8080/i/") @NotNull URI publicBaseUrl) implements ObjectUrls {

	/** The public URL of an object key. */
	@Override
	public String urlOf(String objectKey) {
		String base = publicBaseUrl.toString();
		return (base.endsWith("/") ? base : base + "/") + objectKey;
	}

}
