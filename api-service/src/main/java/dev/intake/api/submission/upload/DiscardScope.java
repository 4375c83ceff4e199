package dev.intake.api.submission.upload;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Keeps the discard hooks of whatever consumes a request-body reader out of the reader's chain, so
 * the chain's own hooks are the only ones that release what its operators drop.
 * <p>
 * Reactor's discard hooks add up through the subscriber context, and a context written downstream
 * reaches every operator upstream. WebFlux's response writer puts
 * {@code doOnDiscard(DataBuffer.class, DataBufferUtils::release)} on the answer it encodes, and a
 * controller's answer is the chain that reads the body: so every buffer an operator of the reading
 * chain drops was released by the chain's own hook and again by the writer's. Spring's multipart
 * reader, refusing a text field past its limit, drops the field's pieces that way (its
 * {@code DataBufferUtils.join}): the pieces of one network read share a reference count, the count
 * reached zero while reactor-netty still held the read, and reactor-netty's own release then failed
 * ({@code IllegalReferenceCountException}) after the pooled memory had gone back to the pool.
 * <p>
 * Apply it last, below the chain's own {@code doOnDiscard} hooks.
 */
public final class DiscardScope {

	/** Reactor's context key of the discard hooks ({@code Hooks.KEY_ON_DISCARD}, not public). */
	static final String HOOK_KEY = "reactor.onDiscard.local";

	private DiscardScope() {
	}

	/** {@code chain} with no discard hook of its subscribers' in its context. */
	public static <T> Mono<T> own(Mono<T> chain) {
		return chain.contextWrite(DiscardScope::withoutHooks);
	}

	/** {@code chain} with no discard hook of its subscribers' in its context. */
	public static <T> Flux<T> own(Flux<T> chain) {
		return chain.contextWrite(DiscardScope::withoutHooks);
	}

	private static Context withoutHooks(Context context) {
		return context.delete(HOOK_KEY);
	}

}
