package dev.intake.api.error;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.accept.HeaderContentTypeResolver;
import org.springframework.web.reactive.accept.RequestedContentTypeResolver;
import org.springframework.web.reactive.accept.RequestedContentTypeResolverBuilder;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;

/**
 * Every API Intake serves answers in JSON (or an event stream), never in XML, whatever the
 * {@code Accept} header asks and whatever codecs the classpath brings: the embedded S3 server of
 * the local run brings Jackson's XML codec, and without this a browser's form post, whose
 * {@code Accept} ranks {@code application/xml} above {@code *}{@code /*}, would be answered by an
 * XML encoder that cannot write our answers. XML types are dropped from what a request accepts;
 * a request that accepts neither JSON nor an event stream (only XML, or {@code text/html} alone)
 * accepts anything, so it gets JSON rather than a 406. An {@code Accept} header that does not
 * parse is refused with a 406 before an API route runs: refused later, by the writer of an error
 * answer such as a 404, the answer would lose its body.
 */
@Configuration(proxyBeanMethods = false)
class JsonAnswers implements WebFluxConfigurer {

	private static final HeaderContentTypeResolver ACCEPT_HEADER = new HeaderContentTypeResolver();

	@Override
	public void configureContentTypeResolver(RequestedContentTypeResolverBuilder builder) {
		builder.resolver(JsonAnswers::acceptedWithoutXml);
	}

	/**
	 * Paths whose answers are what they are whatever {@code Accept} says (stored images and files,
	 * the console): left to their routes, so a CDN or crawler sending a malformed one still gets them.
	 */
	private static final List<String> SERVED_AS_THEY_ARE = List.of("/i/", "/f/", "/console");

	@Bean
	WebFilter malformedAcceptRefusal() {
		return (exchange, chain) -> {
			List<String> accept = exchange.getRequest().getHeaders().get(HttpHeaders.ACCEPT);
			String path = exchange.getRequest().getPath().value();
			if (accept != null && !("/".equals(path) || SERVED_AS_THEY_ARE.stream().anyMatch(path::startsWith))) {
				try {
					MediaType.parseMediaTypes(accept);
				}
				catch (InvalidMediaTypeException ex) {
					return Mono.error(new ApiProblem(HttpStatus.NOT_ACCEPTABLE, HttpStatus.NOT_ACCEPTABLE.value(),
							"The Accept header is malformed."));
				}
			}
			return chain.filter(exchange);
		};
	}

	static List<MediaType> acceptedWithoutXml(ServerWebExchange exchange) {
		List<MediaType> accepted = ACCEPT_HEADER.resolveMediaTypes(exchange).stream().filter(type -> !isXml(type)).toList();
		return accepted.stream().anyMatch(JsonAnswers::isOurs) ? accepted : RequestedContentTypeResolver.MEDIA_TYPE_ALL_LIST;
	}

	/** A type that takes what Intake answers in: JSON or an event stream (or a wildcard of them). */
	private static boolean isOurs(MediaType type) {
		return type.includes(MediaType.APPLICATION_JSON) || type.includes(MediaType.TEXT_EVENT_STREAM);
	}

	private static boolean isXml(MediaType type) {
		String subtype = type.getSubtype();
		return subtype.equals("xml") || subtype.endsWith("+xml");
	}

}
