package dev.intake.platform.observe;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts S3 calls by operation and outcome ({@value #REQUESTS}): {@code ok}, or on failure the
 * HTTP status the server answered ({@code 404}, {@code 503}, ...) or {@code io} when no answer
 * came (connection refused, timeout). Some failures are part of normal work (a 404 of
 * {@code HeadObject} is how a missing object is found), so alert on 5xx and {@code io}.
 */
public final class S3Metrics implements ExecutionInterceptor {

	/** Counter of S3 calls, tags {@code operation} and {@code outcome}. */
	public static final String REQUESTS = "intake.s3.requests";

	private final MeterRegistry registry;

	/** Counters by operation and outcome: both come from small fixed sets (S3 operations, HTTP statuses). */
	private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

	public S3Metrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
		count(attributes, "ok");
	}

	@Override
	public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
		Throwable failure = context.exception();
		String outcome = (failure instanceof SdkServiceException service && service.statusCode() > 0)
				? Integer.toString(service.statusCode()) : "io";
		count(attributes, outcome);
	}

	private void count(ExecutionAttributes attributes, String outcome) {
		String name = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
		String operation = (name != null) ? name : "unknown";
		counters.computeIfAbsent(operation + '|' + outcome, key -> Counter.builder(REQUESTS)
			.description("S3 calls by operation and outcome (ok, an HTTP status, or io)")
			.tag("operation", operation)
			.tag("outcome", outcome)
			.register(registry)).increment();
	}

}
