package dev.intake.platform.observe;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without an exporter a span gets ids (so logs and {@code traceparent} still carry the trace) but
 * is not recorded; with one, or with a sampler the operator chose, the sampler is left as set.
 */
class SpanRecordingTest {

	@Test
	void withoutAnExporterSpansHaveIdsButAreNotRecorded() {
		Span span = startSpan(new StaticListableBeanFactory(), new MockEnvironment());

		assertThat(span.getSpanContext().isValid()).isTrue();
		assertThat(span.getSpanContext().getTraceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
		assertThat(span.isRecording()).isFalse();
		assertThat(span.getSpanContext().isSampled()).isFalse();
	}

	@Test
	void withAnExporterSpansAreRecordedAsTheSamplerSays() {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("exporter", SpanExporter.composite());

		Span span = startSpan(beans, new MockEnvironment());

		assertThat(span.isRecording()).isTrue();
		assertThat(span.getSpanContext().isSampled()).isTrue();
	}

	@Test
	void aSamplerTheOperatorChoseIsKept() {
		Span span = startSpan(new StaticListableBeanFactory(),
				new MockEnvironment().withProperty(SpanRecording.SAMPLER_PROPERTY, "always_on"));

		assertThat(span.isRecording()).isTrue();
	}

	private static Span startSpan(StaticListableBeanFactory beans, MockEnvironment environment) {
		SdkTracerProviderBuilder builder = SdkTracerProvider.builder();
		new SpanRecording(beans.getBeanProvider(SpanExporter.class), environment).customize(builder);
		Tracer tracer = builder.build().get("test");
		// not ended: an ended span no longer says whether it records
		return tracer.spanBuilder("look-up").startSpan();
	}

}
