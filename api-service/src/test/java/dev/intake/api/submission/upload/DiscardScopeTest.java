package dev.intake.api.submission.upload;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class DiscardScopeTest {

	@Test
	void itsKeyIsReactorsDiscardHookKey() throws Exception {
		Field key = Hooks.class.getDeclaredField("KEY_ON_DISCARD");
		key.setAccessible(true);
		assertThat(DiscardScope.HOOK_KEY).isEqualTo(key.get(null));
	}

	/** An answer's discard hook (as WebFlux's response writer adds one) no longer reaches the chain. */
	@Test
	void whatTheChainDropsReachesOnlyItsOwnHooks() {
		List<Object> own = new ArrayList<>();
		List<Object> downstream = new ArrayList<>();
		Mono<List<Integer>> chain = Flux.just(1, 2, 3)
			.filter(n -> n != 2)
			.collectList()
			.doOnDiscard(Integer.class, own::add);

		DiscardScope.own(chain).doOnDiscard(Object.class, downstream::add).block();
		assertThat(own).containsExactly(2);
		assertThat(downstream).isEmpty();

		own.clear();
		chain.doOnDiscard(Object.class, downstream::add).block();
		assertThat(own).containsExactly(2);
		assertThat(downstream).containsExactly(2);
	}

	@Test
	void fluxesToo() {
		List<Object> downstream = new ArrayList<>();
		DiscardScope.own(Flux.just(1, 2, 3).filter(n -> n != 2)).doOnDiscard(Object.class, downstream::add)
			.blockLast();
		assertThat(downstream).isEmpty();
	}

}
