package dev.intake.worker.fetch;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FetchLimiterTest {

	@Test
	void boundsPerHostAndInTotalAndForgetsIdleHosts() throws Exception {
		FetchLimiter limiter = new FetchLimiter(3, 2);
		long soon = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
		assertThat(limiter.acquire("a", soon)).isTrue();
		assertThat(limiter.acquire("a", soon)).isTrue();
		assertThat(limiter.acquire("a", System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
		assertThat(limiter.acquire("b", soon)).isTrue();
		assertThat(limiter.acquire("c", System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
		limiter.release("a");
		assertThat(limiter.acquire("c", System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50))).isTrue();
		limiter.release("a");
		limiter.release("b");
		limiter.release("c");
		assertThat(limiter.inUse()).isZero();
	}

	@Test
	void aWaiterGetsTheSlotWhenItIsReleased() throws Exception {
		FetchLimiter limiter = new FetchLimiter(1, 1);
		assertThat(limiter.acquire("a", System.nanoTime() + 1_000_000)).isTrue();
		Thread releaser = new Thread(() -> {
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				return;
			}
			limiter.release("a");
		});
		releaser.start();
		assertThat(limiter.acquire("b", System.nanoTime() + TimeUnit.MINUTES.toNanos(1))).isTrue();
		releaser.join();
	}

}
