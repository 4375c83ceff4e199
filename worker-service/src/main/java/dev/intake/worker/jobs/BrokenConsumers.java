package dev.intake.worker.jobs;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.kafka.event.ConsumerStoppedEvent;

/**
 * Marks the worker broken when one of its Kafka consumers stopped on its own: a listener container
 * stops a consumer that an {@link Error} reached (a class that failed to load, memory that ran
 * out), that ended abnormally or was refused by the broker (authorization, fencing), and never
 * starts it again. Without this the worker would go on answering its health checks {@code UP}
 * while it takes no more jobs or deliveries, and the batches waiting for them would stay pending.
 * Broken liveness and refused readiness turn {@code /actuator/health} and its liveness and
 * readiness groups {@code DOWN} (the container's health check asks readiness), so an orchestrator
 * restarts the worker; the jobs the stopped consumer held go back to the share group when their
 * lock ends, and another worker takes them.
 * <p>
 * A consumer that stops during start-up is marked again once the application is ready (Spring
 * Boot then declares the worker live and ready, which would hide it). Consumers stopped while the
 * worker shuts down change nothing, whatever their reason (a job interrupted by the shutdown can
 * make one end abnormally).
 */
class BrokenConsumers implements ApplicationListener<ApplicationEvent> {

	private static final Log logger = LogFactory.getLog(BrokenConsumers.class);

	private final ApplicationContext context;

	private volatile boolean broken;

	private volatile boolean closing;

	BrokenConsumers(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == this.context) {
			this.closing = true;
		}
		else if (event instanceof ApplicationReadyEvent && this.broken) {
			markBroken();
		}
		else if (event instanceof ConsumerStoppedEvent stopped && !this.closing
				&& stopped.getReason() != ConsumerStoppedEvent.Reason.NORMAL) {
			logger.error("A Kafka consumer of the worker stopped (" + stopped.getReason() + ", " + stopped.getSource()
					+ ") and takes no more records; the worker reports itself broken (health DOWN) to be restarted");
			this.broken = true;
			markBroken();
		}
	}

	private void markBroken() {
		AvailabilityChangeEvent.publish(this.context, LivenessState.BROKEN);
		AvailabilityChangeEvent.publish(this.context, ReadinessState.REFUSING_TRAFFIC);
	}

}
