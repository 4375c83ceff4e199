package dev.intake.worker.imaging;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Timeout(10)
class DecodePoolTest {

	@Test
	void aTaskPastTheDeadlineFailsAndItsStreamsAreClosed() throws Exception {
		CountDownLatch closed = new CountDownLatch(1);
		try (DecodePool pool = new DecodePool(1, Duration.ofMillis(300))) {
			long start = System.nanoTime();
			assertThatExceptionOfType(DecodeTimeoutException.class).isThrownBy(() -> pool.run(watch -> {
				watch.accept(closed::countDown);
				// a reader that ignores interrupts and only stops when its stream fails
				while (closed.getCount() > 0) {
					Thread.onSpinWait();
				}
				return "never";
			}));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
			assertThat(closed.await(1, TimeUnit.SECONDS)).isTrue();
			// the pool's one thread is free again
			String next = pool.run(watch -> "next");
			assertThat(next).isEqualTo("next");
		}
	}

	@Test
	void failuresOfTheTaskReachTheCaller() {
		try (DecodePool pool = new DecodePool(1, Duration.ofSeconds(1))) {
			assertThatExceptionOfType(UnreadableImageException.class).isThrownBy(() -> pool.run(watch -> {
				throw new UnreadableImageException("broken");
			})).withMessage("broken");
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> pool.run(watch -> {
				throw new IllegalStateException("bug");
			}));
		}
	}

}
