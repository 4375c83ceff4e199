package dev.intake.platform.observe;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Intake's own metrics ({@code intake.metrics.*}).
 *
 * @param maxTenants tenants that get a {@code tenant} tag value of their own in each process;
 * later ones are counted under {@code other} (see {@link TenantTags}). 0 reports every tenant as
 * {@code other}.
 */
@Validated
@ConfigurationProperties("intake.metrics")
public record MetricsProperties(@DefaultValue("100") @Min(0) int maxTenants) {
}
