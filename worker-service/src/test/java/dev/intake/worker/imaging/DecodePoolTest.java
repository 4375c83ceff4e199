package dev.intake.worker.imaging;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

// a guard against a hang, far above what any test here takes on a busy machine
@Timeout(120)
class DecodePoolTest {

	@Test
	void aTaskPastTheDeadlineFailsAndItsStreamsAreClosed() throws Exception {
		CountDownLatch closed = new CountDownLatch(1);
		try (DecodePool pool = new DecodePool(1, Duration.ofMillis(300))) {
			// the task only ends once its streams are closed: the caller got the timeout without waiting for it
			assertThatExceptionOfType(DecodeTimeoutException.class).isThrownBy(() -> pool.run(watch -> {
				watch.accept(closed::countDown);
				// a reader that ignores interrupts and only stops when its stream fails
				while (closed.getCount() > 0) {
					Thread.onSpinWait();
				}
				return "never";
			}));
			assertThat(closed.await(20, TimeUnit.SECONDS)).isTrue();
			// the pool's one thread is free again
			String next = pool.run(watch -> "next");
			assertThat(next).isEqualTo("next");
		}
	}

	/**
	 * Each task runs for about half the deadline, the second only once it has waited about half:
	 * either would overrun only if a busy machine delayed it by nearly 4 s; counted from its
	 * submission, the second would be past the deadline by 200 ms however fast the machine.
	 */
	@Test
	void waitingForASlotDoesNotCountAgainstTheDeadline() throws Exception {
		Duration deadline = Duration.ofSeconds(8);
		try (DecodePool pool = new DecodePool(1, deadline)) {
			CountDownLatch firstRunning = new CountDownLatch(1);
			CountDownLatch releaseFirst = new CountDownLatch(1);
			CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> run(pool, watch -> {
				firstRunning.countDown();
				releaseFirst.await();
				return "first";
			}));
			assertThat(firstRunning.await(20, TimeUnit.SECONDS)).isTrue();
			// the first holds the slot for half the deadline; the second, queued behind it, then runs until
			// more than the deadline has passed since it was submitted, its own run staying below it
			CompletableFuture.delayedExecutor(deadline.toMillis() / 2, TimeUnit.MILLISECONDS)
				.execute(releaseFirst::countDown);
			long submitted = System.nanoTime();
			String second = pool.run(watch -> {
				sleep(Math.max(0, deadline.plusMillis(200).minusNanos(System.nanoTime() - submitted).toMillis()));
				return "second";
			});
			assertThat(second).isEqualTo("second");
			assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo("first");
		}
	}

	@Test
	void aTaskThatIgnoresEverythingStillGivesItsSlotBack() throws Exception {
		AtomicBoolean release = new AtomicBoolean();
		try (DecodePool pool = new DecodePool(1, Duration.ofMillis(200))) {
			assertThatExceptionOfType(DecodeTimeoutException.class).isThrownBy(() -> pool.run(watch -> {
				// neither interrupts nor closed streams stop it
				while (!release.get()) {
					Thread.onSpinWait();
				}
				return "late";
			}));
			// the one slot is free although the runaway task still runs
			String next = pool.run(watch -> "next");
			assertThat(next).isEqualTo("next");
		}
		finally {
			release.set(true);
		}
	}

	@Test
	void aTaskThatChecksForCancellationEndsAfterTheDeadline() throws Exception {
		CountDownLatch ended = new CountDownLatch(1);
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		try (DecodePool pool = new DecodePool(1, Duration.ofMillis(200))) {
			assertThatExceptionOfType(DecodeTimeoutException.class).isThrownBy(() -> pool.run(watch -> {
				try {
					while (true) {
						DecodePool.checkCancelled();
						Thread.onSpinWait();
					}
				}
				catch (UnreadableImageException ex) {
					thrown.set(ex);
					throw ex;
				}
				finally {
					ended.countDown();
				}
			}));
			assertThat(ended.await(20, TimeUnit.SECONDS)).isTrue();
			assertThat(thrown.get()).hasMessageContaining("cancelled");
		}
	}

	@Test
	void aCallerInterruptedWhileItsDecodeRunsGivesItUpAndItsSlotBack() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch ended = new CountDownLatch(1);
		try (DecodePool pool = new DecodePool(1, Duration.ofMinutes(5))) {
			AtomicReference<Throwable> callerGot = new AtomicReference<>();
			Thread caller = new Thread(() -> {
				try {
					pool.run(watch -> {
						running.countDown();
						try {
							Thread.sleep(Long.MAX_VALUE);
						}
						catch (InterruptedException ex) {
							throw new UnreadableImageException("interrupted");
						}
						finally {
							ended.countDown();
						}
						return "never";
					});
				}
				catch (Throwable ex) {
					callerGot.set(ex);
				}
			});
			caller.start();
			assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();

			// the worker is stopping: its thread is interrupted while it waits for the decode
			caller.interrupt();
			caller.join(20_000);

			assertThat(callerGot.get()).isInstanceOf(java.util.concurrent.CancellationException.class);
			assertThat(ended.await(20, TimeUnit.SECONDS)).isTrue();
			String next = pool.run(watch -> "next");
			assertThat(next).isEqualTo("next");
		}
	}

	@Test
	void checkCancelledOnlyThrowsOnAnInterruptedThread() throws Exception {
		DecodePool.checkCancelled();
		Thread.currentThread().interrupt();
		try {
			assertThatExceptionOfType(UnreadableImageException.class).isThrownBy(DecodePool::checkCancelled);
		}
		finally {
			Thread.interrupted();
		}
	}

	private static <T> T run(DecodePool pool, SleepyTask<T> task) {
		try {
			return pool.run(watch -> {
				try {
					return task.run(watch);
				}
				catch (InterruptedException ex) {
					throw new UnreadableImageException("interrupted");
				}
			});
		}
		catch (UnreadableImageException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void sleep(long millis) throws UnreadableImageException {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			throw new UnreadableImageException("interrupted");
		}
	}

	private interface SleepyTask<T> {

		T run(java.util.function.Consumer<java.io.Closeable> watch) throws InterruptedException;

	}

	@Test
	void failuresOfTheTaskReachTheCaller() {
		try (DecodePool pool = new DecodePool(1, Duration.ofMinutes(1))) {
			assertThatExceptionOfType(UnreadableImageException.class).isThrownBy(() -> pool.run(watch -> {
				throw new UnreadableImageException("broken");
			})).withMessage("broken");
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> pool.run(watch -> {
				throw new IllegalStateException("bug");
			}));
		}
	}

	@Test
	void decodeThreadsRunAtTheConfiguredPriority() throws Exception {
		try (DecodePool pool = new DecodePool(1, Duration.ofMinutes(1), Thread.MIN_PRIORITY)) {
			int priority = pool.run(watch -> Thread.currentThread().getPriority());
			assertThat(priority).isEqualTo(Thread.MIN_PRIORITY);
		}
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new DecodePool(1, Duration.ofSeconds(5), 11));
	}

}
