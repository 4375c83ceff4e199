package dev.intake.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One timed run: sends the submits one after another, then polls each batch's status every
 * {@link #POLL_MS} (a client far keener than most; every look-up costs Intake CPU) until all
 * show TASK_SUCCEEDED. Every status look-up is timed, request to last byte of the answer (status
 * latency under load), and the moment each batch is first seen done is kept for the freshness
 * delay.
 */
final class BatchRun {

	static final long POLL_MS = 50;

	final List<Double> submitMillis = new ArrayList<>();

	final Map<String, Long> doneSeenMillis = new LinkedHashMap<>();

	double seconds;

	static BatchRun run(BenchClient client, List<BenchClient.Submit> submits, Stats statusMillis) throws Exception {
		BatchRun run = new BatchRun();
		long begin = System.nanoTime();
		for (BenchClient.Submit submit : submits) {
			long t = System.nanoTime();
			client.send(submit);
			run.submitMillis.add((System.nanoTime() - t) / 1e6);
		}
		List<String> pending = new ArrayList<>(submits.stream().map(BenchClient.Submit::batchId).toList());
		long deadline = begin + 15L * 60 * 1_000_000_000L;
		while (!pending.isEmpty()) {
			for (String batchId : List.copyOf(pending)) {
				BenchClient.Lookup lookup = client.lookUp(batchId);
				String status = lookup.status();
				long now = System.currentTimeMillis();
				if (statusMillis != null) {
					statusMillis.add(lookup.millis());
				}
				if ("TASK_SUCCEEDED".equals(status)) {
					run.doneSeenMillis.put(batchId, now);
					pending.remove(batchId);
				}
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("batches not done in 15 minutes: " + pending);
			}
			if (!pending.isEmpty()) {
				Thread.sleep(POLL_MS);
			}
		}
		run.seconds = (System.nanoTime() - begin) / 1e9;
		return run;
	}

	/** Adds, per batch, the delay from its last result published to its status first seen done. */
	void addFreshness(ResultTimes results, Stats into) throws InterruptedException {
		Thread.sleep(300);
		doneSeenMillis.forEach((batchId, seen) -> {
			long last = results.lastResult("local/" + batchId);
			if (last > 0) {
				into.add(seen - last);
			}
		});
	}

}
