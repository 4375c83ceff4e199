package dev.intake.cli;

/** The exit codes of every {@code intake} command, the ones scripts may rely on. */
public final class Exit {

	/** Everything asked for was done. */
	public static final int OK = 0;

	/** Some items failed, or the server refused a request (a 4xx other than auth, with its message). */
	public static final int FAILED = 1;

	/** The command line or the configuration is wrong (no token, a missing path, an unknown option). */
	public static final int USAGE = 2;

	/** The server refused the credential: 401 (missing or invalid token) or 403 (missing scope). */
	public static final int AUTH = 3;

	/** The server could not be reached or answered 5xx, 408 or 429 (worth trying again later); or an unexpected error. */
	public static final int SERVER = 4;

	private Exit() {
	}

}
