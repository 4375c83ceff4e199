package dev.intake.worker.jobs;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.kafka.event.ConsumerStoppedEvent;

/**
 * Marks the worker broken when one of its Kafka consumers stopped on its own: a listener container
 * stops a consumer that an {@link Error} reached (a class that failed to load, memory that ran
 * out) or that ended abnormally, and never starts it again. Without this the worker would go on
 * answering its health checks {@code UP} while it takes no more jobs or deliveries, and the
 * batches waiting for them would stay pending. Broken liveness and refused readiness turn
 * {@code /actuator/health} and its liveness and readiness groups {@code DOWN} (the container's
 * health check asks readiness), so an orchestrator restarts the worker; the jobs the stopped
 * consumer held go back to the share group when their lock ends, and another worker takes them.
 * Consumers stopped by the worker's own shutdown stop {@code NORMAL} and change nothing.
 */
class BrokenConsumers implements ApplicationListener<ConsumerStoppedEvent> {

	private static final Log logger = LogFactory.getLog(BrokenConsumers.class);

	private final ApplicationContext context;

	BrokenConsumers(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void onApplicationEvent(ConsumerStoppedEvent event) {
		if (event.getReason() != ConsumerStoppedEvent.Reason.ERROR
				&& event.getReason() != ConsumerStoppedEvent.Reason.ABNORMAL) {
			return;
		}
		logger.error("A Kafka consumer of the worker stopped (" + event.getReason() + ", " + event.getSource()
				+ ") and takes no more records; the worker reports itself broken (health DOWN) to be restarted");
		AvailabilityChangeEvent.publish(this.context, LivenessState.BROKEN);
		AvailabilityChangeEvent.publish(this.context, ReadinessState.REFUSING_TRAFFIC);
	}

}
