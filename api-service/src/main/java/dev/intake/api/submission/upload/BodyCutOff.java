package dev.intake.api.submission.upload;

import io.netty.handler.timeout.ReadTimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Whether a request's body was cut off by the server's read timeout
 * ({@code intake.limits.read-timeout}: the client stopped sending it), so that a request refused
 * for it is answered before, not after, what it staged is deleted.
 * <p>
 * Netty raises the read timeout and closes the connection in one step: the error travels to the
 * error handler on the connection's thread, and the connection is closed as soon as that returns.
 * An answer written then reaches the client (408, code 1408); one that waits for anything
 * asynchronous first finds the connection closed, and the client gets an empty response. Deleting
 * what the request staged is such a wait: a call to S3, after every upload of the request has
 * settled (an aborted one too). So a reader that deletes before it answers answers a cut-off body
 * at once and deletes behind it, as when the client goes away.
 * <p>
 * One per request: {@link #watch} the body where it enters the reader (the reader may answer the
 * first problem it found with something else, but the body still stopped arriving), then
 * {@link #failAfter} where the request is refused.
 */
public final class BodyCutOff {

	private static final Log logger = LogFactory.getLog(BodyCutOff.class);

	private volatile boolean cutOff;

	/** {@code body}, noting whether it ends with the read timeout. */
	public <T> Flux<T> watch(Flux<T> body) {
		return body.doOnError(ex -> {
			if (isReadTimeout(ex)) {
				this.cutOff = true;
			}
		});
	}

	/**
	 * Fails with {@code error} once {@code cleanup} has run; at once, with {@code cleanup} running on
	 * in the background, when the body was cut off by the read timeout.
	 */
	public <T> Mono<T> failAfter(Mono<Void> cleanup, Throwable error) {
		if (this.cutOff || isReadTimeout(error)) {
			cleanup.subscribe(null, ex -> logger.warn("Cleanup after a body cut off failed: " + ex));
			return Mono.error(error);
		}
		return cleanup.then(Mono.error(error));
	}

	/** Whether {@code ex} is, or is caused by, the read timeout (operators may wrap it on its way). */
	static boolean isReadTimeout(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ReadTimeoutException) {
				return true;
			}
		}
		return false;
	}

}
