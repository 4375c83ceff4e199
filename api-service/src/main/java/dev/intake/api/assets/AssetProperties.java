package dev.intake.api.assets;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Single-file uploads of the compatible APIs ({@code intake.assets.*}). Their file limits are
 * those of batch uploads ({@code intake.upload.*}).
 *
 * @param answerTimeout longest a single-file upload waits for its item's result once it is queued;
 * past it the client gets a 503 with {@code Retry-After} and the upload still completes
 * @param retryAfter the {@code Retry-After} of such a 503
 */
@ConfigurationProperties("intake.assets")
public record AssetProperties(@DefaultValue("30s") Duration answerTimeout, @DefaultValue("5s") Duration retryAfter) {
}
