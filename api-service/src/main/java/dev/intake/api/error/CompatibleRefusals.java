package dev.intake.api.error;

import org.springframework.web.server.ServerWebExchange;

/**
 * The security layer's refusals in a compatible API's own error shape, for the paths that API
 * serves: a bean per compatible API; requests it does not serve get Intake's own shape.
 */
public interface CompatibleRefusals {

	/** Whether the request is one of this API's routes. */
	boolean serves(ServerWebExchange exchange);

	/** No credential, or one that is not valid (HTTP 401). */
	ApiProblem unauthorized(ServerWebExchange exchange);

	/** A valid credential without the scope the route needs (HTTP 403). */
	ApiProblem forbidden(ServerWebExchange exchange);

	/**
	 * Any other refusal in Intake's own shape on this API's routes (a rate limit, a body too slow,
	 * an unknown route …), in this API's shape; by default it stays as it is.
	 */
	default ApiProblem reshape(ServerWebExchange exchange, ApiProblem problem) {
		return problem;
	}

}
