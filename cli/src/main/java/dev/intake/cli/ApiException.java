package dev.intake.cli;

/**
 * A non-2xx answer of the API: its HTTP status and the API's error body ({@code code}, {@code message}).
 * The exit code follows from the status: 401/403 auth, 408/429/5xx server, any other 4xx failed.
 */
public final class ApiException extends CliException {

	private final int httpStatus;

	private final int code;

	private final String serverMessage;

	public ApiException(int httpStatus, int code, String message) {
		super(exitCodeOf(httpStatus), "HTTP " + httpStatus + ", code " + code + ": " + message);
		this.httpStatus = httpStatus;
		this.code = code;
		this.serverMessage = message;
	}

	public int httpStatus() {
		return httpStatus;
	}

	public int code() {
		return code;
	}

	/**
	 * The server's own message, without the status and code, exactly as sent: for JSON output,
	 * which escapes what a terminal must not see ({@link #getMessage()} has it replaced).
	 */
	public String serverMessage() {
		return serverMessage;
	}

	static int exitCodeOf(int httpStatus) {
		if (httpStatus == 401 || httpStatus == 403) {
			return Exit.AUTH;
		}
		if (httpStatus == 408 || httpStatus == 429 || httpStatus >= 500) {
			return Exit.SERVER;
		}
		return Exit.FAILED;
	}

}
