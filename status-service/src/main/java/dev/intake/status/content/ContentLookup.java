package dev.intake.status.content;

import java.net.URI;
import java.util.List;
import java.util.Set;

import dev.intake.contracts.ObjectKeys;
import dev.intake.status.catalogue.CatalogueUnavailableException;
import dev.intake.status.lookup.PeerRelay;
import dev.intake.status.lookup.StatusUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.streams.state.HostInfo;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.http.HttpStatus;

/**
 * Answers "where are the verified bytes of this content" from whichever instance is asked: from
 * the local store when this instance keeps the content, otherwise by forwarding once to the
 * keeper. No read-your-writes wait: an entry is written in the same transaction as the result
 * that first names its URL, so whoever saw that URL finds the entry; a miss is final for now.
 */
class ContentLookup {

	private static final Log logger = LogFactory.getLog(ContentLookup.class);

	/** The answers of a keeper's content route that are its own. */
	private static final Set<Integer> OWN_ANSWERS = Set.of(HttpStatus.OK.value(), HttpStatus.NOT_FOUND.value(),
			HttpStatus.SERVICE_UNAVAILABLE.value());

	private final ContentStore store;

	private final PeerRelay peers;

	private final Scheduler blocking;

	ContentLookup(ContentStore store, PeerRelay peers, Scheduler blocking) {
		this.store = store;
		this.peers = peers;
		this.blocking = blocking;
	}

	/**
	 * @param forwarded whether another instance forwarded this look-up here; it is then answered
	 * here or not at all
	 */
	Mono<ContentAnswer> find(String tenant, String sha256, boolean forwarded) {
		String key = ObjectKeys.contentKey(tenant, sha256);
		return Mono.fromCallable(() -> store.locate(key)).subscribeOn(blocking).flatMap(location -> {
			if (!location.local() && forwarded) {
				return Mono.just(new ContentAnswer.Unavailable("forwarded here, but kept by " + location.host()));
			}
			if (!location.local()) {
				return forward(location.host(), tenant, sha256);
			}
			return Mono.fromCallable(() -> store.find(key, location.partition()))
				.subscribeOn(blocking)
				.map(found -> found.<ContentAnswer>map(ContentAnswer.Found::new)
					.orElseGet(ContentAnswer.NotFound::new));
		}).onErrorResume(CatalogueUnavailableException.class, ex -> {
			logger.debug("Content " + key + " unavailable: " + ex.getMessage());
			return Mono.just(new ContentAnswer.Unavailable(ex.getMessage()));
		});
	}

	/** Those of {@code objects} the index keeps (this instance's copy of the global store). */
	Mono<List<String>> owned(List<String> objects) {
		return Mono.fromCallable(() -> store.owned(objects)).subscribeOn(blocking);
	}

	/** Asks the keeper, once; only its own answers (200, 404, 503 as JSON) are passed on. */
	private Mono<ContentAnswer> forward(HostInfo keeper, String tenant, String sha256) {
		URI uri = PeerRelay.at(keeper).path(ContentController.PATH).buildAndExpand(tenant, sha256).encode().toUri();
		return peers.get(keeper, uri, OWN_ANSWERS)
			.<ContentAnswer>map(answer -> answer.relayable()
					? new ContentAnswer.Relayed(answer.status(), answer.retryAfter(), answer.body())
					: new ContentAnswer.Unavailable(answer.reason()))
			.onErrorMap(StatusUnavailableException.class,
					ex -> new CatalogueUnavailableException(ex.getMessage(), ex));
	}

}
