package dev.intake.status.catalogue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.intake.contracts.Asset;
import dev.intake.contracts.BatchKey;
import dev.intake.contracts.Topics;
import dev.intake.status.lookup.PeerRelay;
import dev.intake.status.progress.BatchProgressTopology;
import dev.intake.status.lookup.StatusUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.state.HostInfo;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.http.HttpStatus;

/**
 * Answers "what is asset {@code id} of this tenant" from whichever instance is asked: from the
 * local store when this instance owns the asset, otherwise by forwarding once to the owner.
 * <p>
 * Read-your-writes: a miss is only answered once the store has applied every asset update
 * committed to the asset's partition of {@code asset-updates} before the look-up. A look-up that
 * names the upload ({@code batchId}) whose item stored the file, as the single-file APIs do right
 * after the item's result, is answered once the store shows that upload's file, or, if a racing
 * replacement overtook it, once the store has also processed the upload's partition of
 * {@code intake.batches} and {@code intake.results} and then the asset updates written by then.
 * A miss of a look-up that names no upload waits the same way for every partition of those two
 * topics: a client given a file id by an upload's answer may ask for it at once (the nursery API
 * links a file right after uploading it), before the catalogue has turned that upload's result
 * into an asset update. When it cannot be sure in time, the answer is
 * {@link AssetAnswer.Unavailable}.
 */
class AssetLookup {

	private static final Log logger = LogFactory.getLog(AssetLookup.class);

	private final KeyedStore<Asset> store;

	private final CatalogueCatchUp catchUp;

	/** The answers of an owner's asset route that are its own. */
	private static final Set<Integer> OWN_ANSWERS = Set.of(HttpStatus.OK.value(), HttpStatus.NOT_FOUND.value(),
			HttpStatus.SERVICE_UNAVAILABLE.value());

	private final PeerRelay peers;

	private final Scheduler blocking;

	private final Duration timeout;

	AssetLookup(KeyedStore<Asset> store, CatalogueCatchUp catchUp, PeerRelay peers, Scheduler blocking, Duration timeout) {
		this.store = store;
		this.catchUp = catchUp;
		this.peers = peers;
		this.blocking = blocking;
		this.timeout = timeout;
	}

	/**
	 * @param batchId the upload whose stored file the answer must reflect, or null for the asset
	 * as it is
	 * @param forwarded whether another instance forwarded this look-up here; it is then answered
	 * here or not at all
	 */
	Mono<AssetAnswer> find(String tenant, long id, String batchId, boolean forwarded) {
		String key = Asset.key(tenant, id);
		return Mono.fromCallable(() -> firstRead(key)).subscribeOn(blocking).flatMap(first -> {
			KeyedStore.Location location = first.location();
			if (!location.local() && forwarded) {
				return Mono.just(new AssetAnswer.Unavailable("forwarded here, but owned by " + location.host()));
			}
			if (!location.local()) {
				return forward(location.host(), tenant, id, batchId);
			}
			if (first.found().filter(asset -> reflects(asset, batchId)).isPresent()) {
				return Mono.just(new AssetAnswer.Found(first.found().get()));
			}
			return caughtUp(key, location.partition(), tenant, batchId);
		}).onErrorResume(CatalogueUnavailableException.class, ex -> {
			logger.debug("Asset " + key + " unavailable: " + ex.getMessage());
			return Mono.just(new AssetAnswer.Unavailable(ex.getMessage()));
		});
	}

	/** Asks the owner, once; only its own answers (200, 404, 503 as JSON) are passed on. */
	private Mono<AssetAnswer> forward(HostInfo owner, String tenant, long id, String batchId) {
		URI uri = PeerRelay.at(owner)
			.path(AssetController.PATH)
			.queryParamIfPresent(AssetController.BATCH_PARAM, Optional.ofNullable(batchId))
			.buildAndExpand(tenant, id)
			.encode()
			.toUri();
		return peers.get(owner, uri, OWN_ANSWERS)
			.<AssetAnswer>map(answer -> answer.relayable()
					? new AssetAnswer.Relayed(answer.status(), answer.retryAfter(), answer.body())
					: new AssetAnswer.Unavailable(answer.reason()))
			.onErrorMap(StatusUnavailableException.class,
					ex -> new CatalogueUnavailableException(ex.getMessage(), ex));
	}

	private Mono<AssetAnswer> caughtUp(String key, int partition, String tenant, String batchId) {
		long deadline = System.nanoTime() + timeout.toNanos();
		Mono<Boolean> shows = read(key, partition)
			.map(found -> found.filter(asset -> reflects(asset, batchId)).isPresent());
		TopicPartition updates = new TopicPartition(AssetCatalogueTopology.updatesTopic(store.applicationId()),
				partition);
		// no upload named (a file id a client was just given, e.g. linked right after its upload):
		// every upload written by now, in whichever partition
		Mono<List<TopicPartition>> upload = (batchId == null)
				? catchUp.partitionsOf(List.of(Topics.BATCHES.name(), Topics.RESULTS.name()))
				: Mono.fromCallable(() -> uploadPartitions(tenant, batchId)).subscribeOn(blocking);
		return upload.flatMap(upstream -> catchUp.await(upstream, shows, deadline))
			// the updates the upload's partitions had written by now are on the asset's partition
			.flatMap(shown -> shown ? Mono.just(true) : catchUp.await(List.of(updates), shows, deadline))
			.then(read(key, partition))
			.map(found -> found.<AssetAnswer>map(AssetAnswer.Found::new).orElseGet(AssetAnswer.NotFound::new))
			// bounds slow offset look-ups too, which the deadline checks alone would not
			.timeout(timeout.plusSeconds(1),
					Mono.error(() -> new CatalogueUnavailableException("offset look-ups timed out")));
	}

	/** The partitions of {@code intake.batches} and {@code intake.results} the upload is in. */
	private List<TopicPartition> uploadPartitions(String tenant, String batchId) {
		int partition = store.partitionIn(BatchProgressTopology.STORE, new BatchKey(tenant, batchId).toString());
		return List.of(new TopicPartition(Topics.BATCHES.name(), partition),
				new TopicPartition(Topics.RESULTS.name(), partition));
	}

	/** Whether an asset shows the file of this upload (any asset does when none is named). */
	private static boolean reflects(Asset asset, String batchId) {
		return batchId == null || batchId.equals(asset.batchId());
	}

	private Mono<Optional<Asset>> read(String key, int partition) {
		return Mono.fromCallable(() -> store.find(key, partition)).subscribeOn(blocking);
	}

	private FirstRead firstRead(String key) {
		KeyedStore.Location location = store.locate(key);
		Optional<Asset> found = location.local() ? store.find(key, location.partition()) : Optional.empty();
		return new FirstRead(location, found);
	}

	private record FirstRead(KeyedStore.Location location, Optional<Asset> found) {
	}

}
