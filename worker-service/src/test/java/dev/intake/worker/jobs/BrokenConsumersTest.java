package dev.intake.worker.jobs;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.kafka.event.ConsumerStoppedEvent;

import static org.assertj.core.api.Assertions.assertThat;

class BrokenConsumersTest {

	@Test
	void aConsumerStoppedByAnErrorMakesTheWorkerBrokenAndNotReady() {
		try (AnnotationConfigApplicationContext context = started()) {
			context.publishEvent(new ConsumerStoppedEvent(this, "image-ingest-3", ConsumerStoppedEvent.Reason.ERROR));

			assertThat(context.getBean(ApplicationAvailabilityBean.class).getLivenessState())
				.isEqualTo(LivenessState.BROKEN);
			assertThat(context.getBean(ApplicationAvailabilityBean.class).getReadinessState())
				.isEqualTo(ReadinessState.REFUSING_TRAFFIC);
		}
	}

	@Test
	void aConsumerThatEndedAbnormallyBreaksIt() {
		try (AnnotationConfigApplicationContext context = started()) {
			context.publishEvent(new ConsumerStoppedEvent(this, "image-ingest-0", ConsumerStoppedEvent.Reason.ABNORMAL));

			assertThat(context.getBean(ApplicationAvailabilityBean.class).getLivenessState())
				.isEqualTo(LivenessState.BROKEN);
		}
	}

	@Test
	void consumersStoppedByTheShutdownChangeNothing() {
		try (AnnotationConfigApplicationContext context = started()) {
			context.publishEvent(new ConsumerStoppedEvent(this, "image-ingest-0", ConsumerStoppedEvent.Reason.NORMAL));

			assertThat(context.getBean(ApplicationAvailabilityBean.class).getLivenessState())
				.isEqualTo(LivenessState.CORRECT);
			assertThat(context.getBean(ApplicationAvailabilityBean.class).getReadinessState())
				.isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
		}
	}

	@Test
	void aConsumerStoppedDuringStartUpStaysBrokenOnceTheWorkerIsReady() {
		try (AnnotationConfigApplicationContext context = started()) {
			context.publishEvent(new ConsumerStoppedEvent(this, "image-ingest-1", ConsumerStoppedEvent.Reason.AUTH));
			// what Spring Boot declares once the application has started
			AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
			context.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0], context,
					Duration.ZERO));

			assertThat(context.getBean(ApplicationAvailabilityBean.class).getLivenessState())
				.isEqualTo(LivenessState.BROKEN);
			assertThat(context.getBean(ApplicationAvailabilityBean.class).getReadinessState())
				.isEqualTo(ReadinessState.REFUSING_TRAFFIC);
		}
	}

	@Test
	void consumersThatEndAbnormallyWhileTheWorkerShutsDownChangeNothing() {
		AnnotationConfigApplicationContext context = started();
		ApplicationAvailabilityBean availability = context.getBean(ApplicationAvailabilityBean.class);
		BrokenConsumers watch = context.getBean(BrokenConsumers.class);
		watch.onApplicationEvent(new ContextClosedEvent(context));
		watch.onApplicationEvent(new ConsumerStoppedEvent(this, "image-ingest-2", ConsumerStoppedEvent.Reason.ABNORMAL));

		assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
		context.close();
	}

	private static AnnotationConfigApplicationContext started() {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.registerBean(ApplicationAvailabilityBean.class);
		context.registerBean(BrokenConsumers.class, () -> new BrokenConsumers(context));
		context.refresh();
		AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
		AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
		return context;
	}

}
