package dev.intake.api.auth;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import dev.intake.api.error.ApiProblem;
import dev.intake.api.error.CompatibleRefusals;
import dev.intake.contracts.ApiError;
import dev.intake.contracts.LogSafe;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;

/**
 * Spring Security for the API: every path needs a verified credential (API key or JWT, see
 * {@link CredentialAuthenticationManager}) except health probes, public image URLs, the API
 * descriptions, their Swagger UI and the web console's page and assets (reads only); the
 * management port needs none. Reads ({@code GET}/{@code HEAD}) need {@code images:read},
 * everything else {@code images:write}; the nursery image API's routes, whose credential may come
 * in the request itself, check theirs with {@link PresentedCredential}. Stateless: no session, no CSRF
 * token, no saved request. Refusals, the request firewall's included, leave in the API's error shape;
 * on the routes of a compatible API, 401 and 403 leave in that API's shape ({@link CompatibleRefusals}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfiguration {

	static final String UNAUTHORIZED_MESSAGE = "Missing or invalid API token.";

	static final String FORBIDDEN_MESSAGE = "The credential does not grant the scope this request needs.";

	private static final Log logger = LogFactory.getLog(SecurityConfiguration.class);

	/** Routes that verify the credential they are sent themselves ({@link PresentedCredential}). */
	private static final String[] SELF_CHECKED_PATHS = { "/image_upload", "/batch_image_upload",
			"/load_batch_images" };

	private static final String[] PUBLIC_PATHS = { "/actuator/health", "/actuator/health/**", "/i/**", "/f/**",
			"/v1/openapi.yaml", "/v1/asyncapi.yaml", "/v1/schemas/*", "/v1/docs", "/v1/docs/*" };

	/** The web console's page and assets: public for reads only; the page calls the API with a credential. */
	private static final String[] CONSOLE_PATHS = { "/", "/console", "/console/*" };

	@Bean
	CredentialAuthenticationManager credentialAuthenticationManager(SecurityProperties properties) {
		ApiKeys keys = new ApiKeys(properties.apiKeys());
		JwtDecoding jwt = properties.jwt().enabled() ? new JwtDecoding(properties.jwt()) : null;
		if (keys.size() == 0 && jwt == null) {
			logger.warn("No API key and no JWT issuer is configured (see intake.security.*): "
					+ "every API request will be refused with 401");
		}
		else {
			logger.info("Accepting " + keys.size() + " API key(s)" + ((jwt != null) ? " and JWTs" : ""));
		}
		return new CredentialAuthenticationManager(keys, jwt);
	}

	@Bean
	PresentedCredential presentedCredential(CredentialAuthenticationManager credentials) {
		return new PresentedCredential(credentials);
	}

	/**
	 * The management port (health, metrics; {@code management.server.port}) serves no API and
	 * needs no credential: it is meant for probes and scrapers on the deployment's own network,
	 * not published. It comes first, so the API's chain never sees its requests.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityWebFilterChain managementSecurity(ServerHttpSecurity http, Environment environment) {
		return http.securityMatcher(exchange -> onManagementPort(exchange, environment)
				? ServerWebExchangeMatcher.MatchResult.match() : ServerWebExchangeMatcher.MatchResult.notMatch())
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
			.build();
	}

	/** Whether the request came in on a management port of its own (set once that server listens). */
	static boolean onManagementPort(ServerWebExchange exchange, Environment environment) {
		Integer management = environment.getProperty("local.management.port", Integer.class);
		Integer server = environment.getProperty("local.server.port", Integer.class);
		InetSocketAddress local = exchange.getRequest().getLocalAddress();
		return management != null && management > 0 && !management.equals(server) && local != null
				&& local.getPort() == management;
	}

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, CredentialAuthenticationManager credentials,
			SecurityProperties properties, ObjectProvider<CompatibleRefusals> compatibleRefusals) {
		List<CompatibleRefusals> shapes = compatibleRefusals.orderedStream().toList();
		ServerWebExchangeMatcher publicPaths = new OrServerWebExchangeMatcher(
				ServerWebExchangeMatchers.pathMatchers(PUBLIC_PATHS),
				ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, CONSOLE_PATHS),
				ServerWebExchangeMatchers.pathMatchers(HttpMethod.HEAD, CONSOLE_PATHS));
		AuthenticationWebFilter authentication = new AuthenticationWebFilter(credentials);
		authentication.setServerAuthenticationConverter(new CredentialConverter(properties.queryTokenPaths()));
		authentication.setRequiresAuthenticationMatcher(new NegatedServerWebExchangeMatcher(publicPaths));
		authentication.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
		authentication.setAuthenticationFailureHandler(
				(exchange, ex) -> Mono.error(unauthorized(exchange.getExchange(), shapes)));
		authentication.setAuthenticationSuccessHandler((exchange, verified) -> {
			Tenant.set(exchange.getExchange(), ((TenantAuthentication) verified).tenant());
			return exchange.getChain().filter(exchange.getExchange());
		});
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.anonymous(ServerHttpSecurity.AnonymousSpec::disable)
			.requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			// the image origin sets its own long-lived Cache-Control
			.headers(headers -> headers.cache(ServerHttpSecurity.HeaderSpec.CacheSpec::disable))
			.addFilterAt(authentication, SecurityWebFiltersOrder.AUTHENTICATION)
			.authorizeExchange(exchanges -> exchanges.matchers(publicPaths)
				.permitAll()
				.pathMatchers("/v1/webhooks", "/v1/webhooks/**")
				.hasAuthority(Scopes.WEBHOOKS_AUTHORITY)
				// an invalid header credential is refused above; the route decides which credential counts
				.pathMatchers(SELF_CHECKED_PATHS)
				.permitAll()
				.pathMatchers(HttpMethod.GET, "/**")
				.hasAuthority(Scopes.READ_AUTHORITY)
				.pathMatchers(HttpMethod.HEAD, "/**")
				.hasAuthority(Scopes.READ_AUTHORITY)
				.anyExchange()
				.hasAuthority(Scopes.WRITE_AUTHORITY))
			.exceptionHandling(errors -> errors
				.authenticationEntryPoint((exchange, ex) -> Mono.error(unauthorized(exchange, shapes)))
				.accessDeniedHandler((exchange, denied) -> Mono.error(forbidden(exchange, shapes))))
			.build();
	}

	/**
	 * The request firewall's refusals (path segments such as {@code ..} or {@code ;}, encoded
	 * slashes or NULs, methods like TRACE, control characters in headers) in the API's error shape.
	 */
	@Bean
	ServerExchangeRejectedHandler firewallRefusals() {
		return (exchange, rejected) -> {
			if (logger.isDebugEnabled()) {
				logger.debug("Request firewall refused a request: " + LogSafe.text(rejected.getMessage()));
			}
			return Mono.error(ApiProblem.notAllowedByFirewall());
		};
	}

	private static ApiProblem unauthorized() {
		return new ApiProblem(HttpStatus.UNAUTHORIZED, ApiError.UNAUTHORIZED, UNAUTHORIZED_MESSAGE)
			.withHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
	}

	/** A 401 in the shape of the compatible API serving the path, else in Intake's. */
	private static ApiProblem unauthorized(ServerWebExchange exchange, List<CompatibleRefusals> shapes) {
		return shapeOf(exchange, shapes).map(shape -> shape.unauthorized(exchange)).orElseGet(() -> unauthorized());
	}

	private static Optional<CompatibleRefusals> shapeOf(ServerWebExchange exchange, List<CompatibleRefusals> shapes) {
		return shapes.stream().filter(shape -> shape.serves(exchange)).findFirst();
	}

	private static ApiProblem forbidden(ServerWebExchange exchange, List<CompatibleRefusals> shapes) {
		// anonymous is off: a denial after authentication is a missing scope; without a tenant it is a 401
		if (Tenant.find(exchange).isEmpty()) {
			return unauthorized(exchange, shapes);
		}
		Optional<CompatibleRefusals> shape = shapeOf(exchange, shapes);
		if (shape.isPresent()) {
			return shape.get().forbidden(exchange);
		}
		return new ApiProblem(HttpStatus.FORBIDDEN, ApiError.FORBIDDEN, FORBIDDEN_MESSAGE)
			.withHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
	}

}
