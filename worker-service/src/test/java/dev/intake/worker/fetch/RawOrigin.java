package dev.intake.worker.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A socket server on 127.0.0.1 that answers every connection with whatever {@link Script}
 * writes, for answers a real HTTP server refuses to send (a lying Content-Length, an endless
 * close-delimited body, a slow drip).
 */
final class RawOrigin implements AutoCloseable {

	interface Script {

		void write(OutputStream out) throws IOException, InterruptedException;

	}

	private final ServerSocket server;

	final AtomicInteger connections = new AtomicInteger();

	RawOrigin(Script script) throws IOException {
		this(script, false);
	}

	/** With {@code keepAlive}, each connection is answered request after request until the client closes it. */
	RawOrigin(Script script, boolean keepAlive) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
		Thread acceptor = new Thread(() -> {
			while (!server.isClosed()) {
				try {
					Socket socket = server.accept();
					connections.incrementAndGet();
					Thread handler = new Thread(() -> serve(socket, script, keepAlive), "raw-origin-conn");
					handler.setDaemon(true);
					handler.start();
				}
				catch (IOException ex) {
					return;
				}
			}
		}, "raw-origin");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	private static void serve(Socket socket, Script script, boolean keepAlive) {
		try (socket) {
			InputStream in = socket.getInputStream();
			do {
				// read the request head up to its blank line
				int state = 0;
				int b = in.read();
				if (b == -1) {
					return;
				}
				for (; b != -1 && state < 4; b = (state < 4) ? in.read() : -1) {
					if (b == '\r' && (state == 0 || state == 2)) {
						state++;
					}
					else if (b == '\n' && (state == 1 || state == 3)) {
						state++;
					}
					else {
						state = (b == '\r') ? 1 : 0;
					}
				}
				script.write(socket.getOutputStream());
				socket.getOutputStream().flush();
			}
			while (keepAlive);
		}
		catch (IOException | InterruptedException ex) {
			// the client hung up, as it should
		}
	}

	String url(String path) {
		return "http://127.0.0.1:" + server.getLocalPort() + path;
	}

	int port() {
		return server.getLocalPort();
	}

	static byte[] head(String text) {
		return text.replace("\n", "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
	}

	@Override
	public void close() throws IOException {
		server.close();
	}

}
