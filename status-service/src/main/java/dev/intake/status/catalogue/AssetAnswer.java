package dev.intake.status.catalogue;

import dev.intake.contracts.Asset;

/** What an asset look-up found out, before it becomes an HTTP response. */
sealed interface AssetAnswer {

	/** The asset, from this instance's store. */
	record Found(Asset asset) implements AssetAnswer {
	}

	/** No such asset for the tenant, and the store has seen every update committed before the look-up. */
	record NotFound() implements AssetAnswer {
	}

	/** Nobody can tell right now; retry shortly. */
	record Unavailable(String reason) implements AssetAnswer {
	}

	/** The answer of the instance that owns the asset, passed on as it came. */
	record Relayed(int status, String retryAfter, byte[] body) implements AssetAnswer {
	}

}
