package dev.intake.worker.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Optional;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Tells a TLS rejection (an untrusted, expired or mismatched certificate, no common protocol,
 * a server that does not speak TLS) from a network failure during the handshake. A rejection
 * will be the same on every retry, so it fails the item at once.
 */
final class TlsFailures {

	private TlsFailures() {
	}

	/** The readable reason when {@code failure} is a TLS rejection; empty for anything else. */
	static Optional<String> rejection(IOException failure) {
		if (!(failure instanceof SSLException)) {
			return Optional.empty();
		}
		for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof SocketException || cause instanceof SocketTimeoutException
					|| cause instanceof EOFException) {
				// the connection broke during the handshake: the network, not the server's TLS
				return Optional.empty();
			}
		}
		if (failure instanceof SSLPeerUnverifiedException) {
			return Optional.of("its server's TLS certificate does not match the host name");
		}
		if (failure instanceof SSLHandshakeException) {
			return Optional.of("its server's TLS certificate or handshake was not accepted");
		}
		return Optional.of("its server did not complete a valid TLS handshake");
	}

}
