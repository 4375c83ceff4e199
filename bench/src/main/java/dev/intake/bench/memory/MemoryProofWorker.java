package dev.intake.bench.memory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;

import dev.intake.worker.WorkerServiceApplication;

/**
 * The worker as {@link MemoryProofRun} starts it in a child JVM: the real application, plus a
 * control line on stdin ({@code reset} clears the heap peaks, {@code report} prints them as
 * {@code MEMPROOF sampledPeak=… poolPeaksSum=… liveAfterGc=… max=…}, in bytes: the largest heap
 * in use seen every 20 ms, the sum of each pool's own peak (an upper bound, the peaks need not
 * coincide), the largest heap left after a collection).
 */
public final class MemoryProofWorker {

	private MemoryProofWorker() {
	}

	/** Largest live heap seen right after a collection since the last reset, sampled. */
	private static volatile long maxAfterGc;

	/** Largest heap in use (garbage included) seen since the last reset, sampled every 20 ms. */
	private static volatile long maxUsed;

	public static void main(String[] args) throws Exception {
		WorkerServiceApplication.application().run(args);
		Thread sampler = new Thread(MemoryProofWorker::sample, "memproof-sampler");
		sampler.setDaemon(true);
		sampler.start();
		System.out.println("MEMPROOF ready");
		try (BufferedReader control = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
			for (String line = control.readLine(); line != null; line = control.readLine()) {
				if ("reset".equals(line.trim())) {
					System.gc();
					heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
					maxAfterGc = 0;
					maxUsed = 0;
				}
				else if ("report".equals(line.trim())) {
					System.out.println("MEMPROOF " + report());
				}
			}
		}
		System.exit(0);
	}

	/**
	 * Peak heap in use (summed over the pools' own peaks, garbage included) and the largest heap
	 * still in use right after a collection (live data).
	 */
	private static String report() {
		long peak = 0;
		for (MemoryPoolMXBean pool : heapPools()) {
			peak += pool.getPeakUsage().getUsed();
		}
		return "sampledPeak=" + maxUsed + " poolPeaksSum=" + peak + " liveAfterGc=" + maxAfterGc + " max="
				+ Runtime.getRuntime().maxMemory();
	}

	private static void sample() {
		while (true) {
			long afterGc = 0;
			long used = 0;
			for (MemoryPoolMXBean pool : heapPools()) {
				used += pool.getUsage().getUsed();
				MemoryUsage collected = pool.getCollectionUsage();
				afterGc += (collected != null) ? collected.getUsed() : 0;
			}
			maxAfterGc = Math.max(maxAfterGc, afterGc);
			maxUsed = Math.max(maxUsed, used);
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private static java.util.List<MemoryPoolMXBean> heapPools() {
		return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
	}

}
