package dev.intake.worker.webhooks;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-endpoint concurrency and the circuit breaker. */
class EndpointGuardsTest {

	@Test
	void limitsDeliveriesInProgressPerEndpointOnly() {
		EndpointGuards guards = new EndpointGuards(2, 5, Duration.ofMinutes(1), 100);
		assertThat(guards.acquire("http://a/")).isEmpty();
		assertThat(guards.acquire("http://a/")).isEmpty();
		assertThat(guards.acquire("http://a/")).hasValueSatisfying(why -> assertThat(why).contains("in progress"));
		assertThat(guards.acquire("http://b/")).isEmpty();
		guards.release("http://a/", true);
		assertThat(guards.acquire("http://a/")).isEmpty();
	}

	@Test
	void opensAfterConsecutiveFailuresAndLetsOneTrialThroughOnceTheOpenTimeIsOver() {
		EndpointGuards guards = new EndpointGuards(10, 3, Duration.ZERO, 100);
		for (int i = 0; i < 3; i++) {
			assertThat(guards.acquire("http://dead/")).isEmpty();
			guards.release("http://dead/", false);
		}
		// open for zero time: the next attempt is the trial, and a second one waits for its outcome
		assertThat(guards.acquire("http://dead/")).isEmpty();
		assertThat(guards.acquire("http://dead/")).hasValueSatisfying(why -> assertThat(why).contains("circuit breaker"));
		guards.release("http://dead/", true);
		assertThat(guards.acquire("http://dead/")).isEmpty();
		assertThat(guards.acquire("http://dead/")).isEmpty();
	}

	@Test
	void staysOpenForTheOpenTime() {
		EndpointGuards guards = new EndpointGuards(10, 2, Duration.ofHours(1), 100);
		for (int i = 0; i < 2; i++) {
			guards.acquire("http://dead/");
			guards.release("http://dead/", false);
		}
		assertThat(guards.acquire("http://dead/")).isPresent();
		assertThat(guards.acquire("http://alive/")).isEmpty();
	}

	@Test
	void tracksAtMostMaxEndpointsOnceAnEndpointInFlightIsDone() {
		EndpointGuards guards = new EndpointGuards(10, 2, Duration.ofHours(1), 3);
		// the least recently used endpoint is in flight while many others come and go
		assertThat(guards.acquire("http://slow/")).isEmpty();
		for (int i = 0; i < 50; i++) {
			assertThat(guards.acquire("http://e" + i + "/")).isEmpty();
			guards.release("http://e" + i + "/", true);
		}
		assertThat(guards.size()).isLessThanOrEqualTo(3);
		guards.release("http://slow/", true);
		for (int i = 0; i < 50; i++) {
			assertThat(guards.acquire("http://f" + i + "/")).isEmpty();
			guards.release("http://f" + i + "/", true);
		}
		assertThat(guards.size()).isEqualTo(3);
	}

}
