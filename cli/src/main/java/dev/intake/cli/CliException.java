package dev.intake.cli;

/**
 * A failure that ends a command with a message for the user and one of the {@link Exit} codes.
 * The message is made safe for a terminal ({@link TerminalText}) here, once, since messages name
 * paths, batch ids and what the server answered.
 */
public class CliException extends RuntimeException {

	private final int exitCode;

	public CliException(int exitCode, String message) {
		super(TerminalText.of(message));
		this.exitCode = exitCode;
	}

	public CliException(int exitCode, String message, Throwable cause) {
		super(TerminalText.of(message), cause);
		this.exitCode = exitCode;
	}

	public int exitCode() {
		return exitCode;
	}

}
