package dev.intake.api.staging;

import java.util.concurrent.Executor;

import io.netty.channel.EventLoop;
import reactor.netty.Connection;
import reactor.util.context.ContextView;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The event loop of the connection a multipart request arrives on, as an executor that runs a task
 * at once when already on it. Demand and cancellation for the request's parts are signalled from
 * it only: Spring's multipart parser buffers and releases part content on the thread that signals
 * it, and S3 client threads signalling it concurrently with the event loop let it hand out a buffer
 * it had already released.
 */
public final class ConnectionThread {

	/** The reactor context key under which a request's executor travels to its staged parts. */
	public static final String KEY = ConnectionThread.class.getName();

	private static final Executor CALLER = Runnable::run;

	private ConnectionThread() {
	}

	/** The request's event loop; the calling thread where there is none (no Netty request). */
	public static Executor of(ServerHttpRequest request) {
		Object nativeRequest;
		try {
			nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		}
		catch (IllegalArgumentException | IllegalStateException none) {
			return CALLER;
		}
		if (nativeRequest instanceof Connection connection) {
			EventLoop loop = connection.channel().eventLoop();
			return task -> {
				if (loop.inEventLoop()) {
					task.run();
				}
				else {
					loop.execute(task);
				}
			};
		}
		return CALLER;
	}

	/** The executor a request put in the context, or one that runs tasks on the calling thread. */
	public static Executor from(ContextView context) {
		return context.getOrDefault(KEY, CALLER);
	}

}
