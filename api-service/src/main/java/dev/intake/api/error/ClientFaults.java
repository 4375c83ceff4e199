package dev.intake.api.error;

import io.netty.handler.timeout.ReadTimeoutException;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.DisconnectedClientHelper;

/** Which failures are the client's doing: answered with a 4xx, never logged as our error. */
final class ClientFaults {

	private ClientFaults() {
	}

	/**
	 * Whether a failure is the client's doing (its request, its connection, its pace), so that it is
	 * worth a debug line at most, never an ERROR with a stack trace.
	 */
	static boolean isClientFault(Throwable ex) {
		if (ex instanceof ApiProblem problem) {
			return problem.status().is4xxClientError();
		}
		if (ex instanceof ResponseStatusException status) {
			return status.getStatusCode().is4xxClientError();
		}
		return ex instanceof DecodingException || ex instanceof DataBufferLimitException
				|| ex instanceof ReadTimeoutException || ex instanceof ServerExchangeRejectedException
				|| DisconnectedClientHelper.isClientDisconnectedException(ex);
	}

}
