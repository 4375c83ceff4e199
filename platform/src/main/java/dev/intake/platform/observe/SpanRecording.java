package dev.intake.platform.observe;

import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SdkTracerProviderBuilderCustomizer;
import org.springframework.core.env.Environment;

/**
 * Spans are recorded only where they can leave the process: with no span exporter (no OTLP
 * endpoint set) and no sampler chosen by the operator ({@value #SAMPLER_PROPERTY}), the tracer
 * samples nothing. Trace and span ids are still made, written to log lines and passed on in
 * {@code traceparent} (HTTP and Kafka headers) with the sampled flag off, so one batch is still
 * followed through the logs of every service; what is saved is building, timing and queueing every
 * span only to drop it.
 */
final class SpanRecording implements SdkTracerProviderBuilderCustomizer {

	static final String SAMPLER_PROPERTY = "management.opentelemetry.tracing.sampler";

	private final ObjectProvider<SpanExporter> exporters;

	private final Environment environment;

	SpanRecording(ObjectProvider<SpanExporter> exporters, Environment environment) {
		this.exporters = exporters;
		this.environment = environment;
	}

	@Override
	public void customize(SdkTracerProviderBuilder builder) {
		if (!exporting() && !environment.containsProperty(SAMPLER_PROPERTY)) {
			builder.setSampler(Sampler.alwaysOff());
		}
	}

	/** Whether any span exporter is configured (an OTLP endpoint, or an exporter bean of the application). */
	boolean exporting() {
		return exporters.orderedStream().findAny().isPresent();
	}

}
