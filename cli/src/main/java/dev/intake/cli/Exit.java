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

	/**
	 * The batch is not finished: items are still queued or being processed ({@code status} without
	 * {@code --watch}). Apart from 0 and 1, so that {@code intake status ID && publish} never goes
	 * ahead before every item is stored, and a script that waits can tell "ask again" from "done, with
	 * failures"; ahead of 1, since failures so far are not the batch's outcome yet.
	 */
	public static final int UNFINISHED = 5;

	/**
	 * Interrupted by Ctrl-C (SIGINT): the JVM ends itself with 128 + 2, the shell's convention, without
	 * the command returning. Named here because scripts see it; an upload says how it resumes.
	 */
	public static final int INTERRUPTED = 130;

	private Exit() {
	}

}
