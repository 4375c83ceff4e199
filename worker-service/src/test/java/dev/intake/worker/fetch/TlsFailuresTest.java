package dev.intake.worker.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TlsFailuresTest {

	@Test
	void certificateAndHandshakeRejectionsAreLasting() {
		assertThat(TlsFailures.rejection(new SSLHandshakeException("PKIX path building failed")))
			.hasValue("its server's TLS certificate or handshake was not accepted");
		assertThat(TlsFailures.rejection(new SSLPeerUnverifiedException("no subject alternative name")))
			.hasValue("its server's TLS certificate does not match the host name");
		assertThat(TlsFailures.rejection(new SSLException("Unsupported or unrecognized SSL message")))
			.hasValue("its server did not complete a valid TLS handshake");
	}

	@Test
	void aConnectionThatBreaksDuringTheHandshakeIsNotARejection() {
		SSLHandshakeException terminated = new SSLHandshakeException("Remote host terminated the handshake");
		terminated.initCause(new EOFException("SSL peer shut down incorrectly"));
		assertThat(TlsFailures.rejection(terminated)).isEmpty();
		assertThat(TlsFailures.rejection(new SSLException("Connection reset", new SocketException("reset")))).isEmpty();
		assertThat(TlsFailures.rejection(new IOException("plain I/O"))).isEmpty();
	}

}
