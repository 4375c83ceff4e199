package dev.intake.status.links;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.intake.contracts.NurseryLink;
import dev.intake.contracts.Topics;
import dev.intake.status.catalogue.CatalogueCatchUp;
import dev.intake.status.catalogue.CatalogueUnavailableException;
import dev.intake.status.catalogue.KeyedStore;
import dev.intake.status.lookup.PeerRelay;
import dev.intake.status.lookup.StatusUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.state.HostInfo;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.http.HttpStatus;

/**
 * Answers "which files are linked to this nursery's batch" from whichever instance is asked: from
 * the local store when this instance keeps the batch, otherwise by forwarding once to the keeper.
 * <p>
 * Read-your-writes: the store is read only once this application has processed everything
 * written to the batch's partition of {@code intake.nursery-links} before the look-up
 * ({@link CatalogueCatchUp}), so a link the api-service answered {@code success} for is listed.
 * The links are stored under their own key, without repartitioning, so that one partition is
 * all there is to wait for. When it cannot be sure in time, the answer is
 * {@link LinkAnswer.Unavailable}.
 */
class LinkLookup {

	private static final Log logger = LogFactory.getLog(LinkLookup.class);

	private final KeyedStore<NurseryBatch> store;

	private final CatalogueCatchUp catchUp;

	/** The answers of a keeper's links route that are its own. */
	private static final Set<Integer> OWN_ANSWERS = Set.of(HttpStatus.OK.value(),
			HttpStatus.SERVICE_UNAVAILABLE.value());

	private final PeerRelay peers;

	private final Scheduler blocking;

	private final Duration timeout;

	LinkLookup(KeyedStore<NurseryBatch> store, CatalogueCatchUp catchUp, PeerRelay peers, Scheduler blocking, Duration timeout) {
		this.store = store;
		this.catchUp = catchUp;
		this.peers = peers;
		this.blocking = blocking;
		this.timeout = timeout;
	}

	/**
	 * @param forwarded whether another instance forwarded this look-up here; it is then answered
	 * here or not at all
	 */
	Mono<LinkAnswer> find(String tenant, long nurseryId, long batchId, boolean forwarded) {
		String key = NurseryLink.key(tenant, nurseryId, batchId);
		return Mono.fromCallable(() -> store.locate(key)).subscribeOn(blocking).flatMap(location -> {
			if (!location.local() && forwarded) {
				return Mono.just(new LinkAnswer.Unavailable("forwarded here, but kept by " + location.host()));
			}
			if (!location.local()) {
				return forward(location.host(), tenant, nurseryId, batchId);
			}
			return caughtUp(key, location.partition());
		}).onErrorResume(CatalogueUnavailableException.class, ex -> {
			logger.debug("Nursery batch " + key + " unavailable: " + ex.getMessage());
			return Mono.just(new LinkAnswer.Unavailable(ex.getMessage()));
		});
	}

	/** Asks the keeper, once; only its own answers (200 or 503 as JSON) are passed on. */
	private Mono<LinkAnswer> forward(HostInfo keeper, String tenant, long nurseryId, long batchId) {
		URI uri = PeerRelay.at(keeper)
			.path(LinkController.PATH)
			.buildAndExpand(tenant, nurseryId, batchId)
			.encode()
			.toUri();
		return peers.get(keeper, uri, OWN_ANSWERS)
			.<LinkAnswer>map(answer -> answer.relayable()
					? new LinkAnswer.Relayed(answer.status(), answer.retryAfter(), answer.body())
					: new LinkAnswer.Unavailable(answer.reason()))
			.onErrorMap(StatusUnavailableException.class,
					ex -> new CatalogueUnavailableException(ex.getMessage(), ex));
	}

	private Mono<LinkAnswer> caughtUp(String key, int partition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		TopicPartition links = new TopicPartition(Topics.NURSERY_LINKS.name(), partition);
		// no probe can tell a complete list from a partial one: wait for the partition's end as of now
		return catchUp.await(List.of(links), Mono.just(false), deadline)
			.then(Mono.fromCallable(() -> store.find(key, partition)).subscribeOn(blocking))
			.<LinkAnswer>map(found -> new LinkAnswer.Found(found.orElse(NurseryBatch.EMPTY)))
			// bounds slow offset look-ups too, which the deadline checks alone would not
			.timeout(timeout.plusSeconds(1),
					Mono.error(() -> new CatalogueUnavailableException("offset look-ups timed out")));
	}

}
