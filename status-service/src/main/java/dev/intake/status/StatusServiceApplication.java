package dev.intake.status;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The status-service: a Kafka Streams application that materialises per-batch progress from
 * {@code intake.batches} and {@code intake.results} (exactly-once) and answers status look-ups
 * by interactive queries, routing each to the instance that owns the batch. It also streams live
 * progress (Server-Sent Events), publishes one {@code BatchCompleted} per batch to
 * {@code intake.events}, and deletes batches past their retention.
 */
@SpringBootApplication
public class StatusServiceApplication {

	public static SpringApplication application() {
		SpringApplication app = new SpringApplication(StatusServiceApplication.class);
		app.setDefaultProperties(Map.of("spring.config.name", "status-service"));
		return app;
	}

	public static void main(String[] args) {
		application().run(args);
	}

}
