package dev.intake.api.compat.anqicms;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.filter.reactive.UrlHandlerFilter;

/** The AnqiCMS attachment upload: its route and its error shape, the security layer's refusals included. */
@Configuration(proxyBeanMethods = false)
class AnqiCmsConfiguration {

	@Bean
	AnqiErrors anqiCmsRefusals() {
		return new AnqiErrors();
	}

	/**
	 * {@code /attachment/upload/} is served as {@code /attachment/upload}, as AnqiCMS's router
	 * corrects a trailing slash; the path is changed before the security layer sees it.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	UrlHandlerFilter anqiCmsTrailingSlash() {
		return UrlHandlerFilter.trailingSlashHandler(AttachmentUploadController.PATH).mutateRequest().build();
	}

}
