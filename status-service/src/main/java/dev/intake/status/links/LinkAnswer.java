package dev.intake.status.links;

/** What a look-up of a nursery batch found out, before it becomes an HTTP response. */
sealed interface LinkAnswer {

	/** The batch (empty when nothing was linked to it), from this instance's caught-up store. */
	record Found(NurseryBatch batch) implements LinkAnswer {
	}

	/** Nobody can tell right now; retry shortly. */
	record Unavailable(String reason) implements LinkAnswer {
	}

	/** The answer of the instance that keeps the batch, passed on as it came. */
	record Relayed(int status, String retryAfter, byte[] body) implements LinkAnswer {
	}

}
