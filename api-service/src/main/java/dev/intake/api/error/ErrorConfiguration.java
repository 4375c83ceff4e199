package dev.intake.api.error;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Hooks;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Installs {@link ApiErrorHandler} in place of Boot's default error handler, and Reactor's hook
 * for errors that arrive after a stream has ended: a client error that reaches the multipart
 * parser's windows twice (a body cut off, too slow, without its final boundary) is logged at debug
 * level in one line; anything else at ERROR with its stack trace, as Reactor would.
 */
@Configuration(proxyBeanMethods = false)
class ErrorConfiguration {

	private static final Log logger = LogFactory.getLog(ErrorConfiguration.class);

	/** Reactor's hooks are JVM-wide and cumulative: installed once, whatever the contexts. */
	private static final AtomicBoolean droppedErrorHook = new AtomicBoolean();

	@Bean
	ApiErrorHandler apiErrorHandler(JsonMapper json, ObjectProvider<CompatibleRefusals> compatibleRefusals) {
		if (droppedErrorHook.compareAndSet(false, true)) {
			Hooks.onErrorDropped(ErrorConfiguration::onErrorDropped);
		}
		return new ApiErrorHandler(json, compatibleRefusals);
	}

	private static void onErrorDropped(Throwable ex) {
		if (ClientFaults.isClientFault(ex)) {
			if (logger.isDebugEnabled()) {
				logger.debug("Dropped a client error after its stream ended: " + ApiErrorHandler.oneLine(ex));
			}
		}
		else {
			logger.error("An error arrived after its stream had ended", ex);
		}
	}

}
