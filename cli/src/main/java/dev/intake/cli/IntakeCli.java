package dev.intake.cli;

import java.io.IOException;

import dev.intake.cli.batch.EventsCommand;
import dev.intake.cli.batch.RetryCommand;
import dev.intake.cli.batch.StatusCommand;
import dev.intake.cli.keys.KeysCommand;
import dev.intake.cli.upload.UploadCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code intake}: the command-line client of Intake's batch-upload API. Exit codes are those of
 * {@link Exit}; a {@link CliException} prints its message (no stack trace) and ends with its code.
 */
@Command(name = "intake", mixinStandardHelpOptions = true, version = "intake 0.1.0",
		description = "Upload images to Intake and follow their batches.",
		subcommands = { UploadCommand.class, StatusCommand.class, RetryCommand.class, EventsCommand.class,
				KeysCommand.class, CommandLine.HelpCommand.class },
		footer = { "", "Configuration: --url/--token (before or after the command; after it wins), else",
				"INTAKE_URL/INTAKE_TOKEN, else url=/token= in ~/.config/intake/config.properties",
				"(or --config FILE, INTAKE_CONFIG).",
				"Exit codes: 0 ok, 1 some items failed or a request was refused, 2 usage,",
				"3 authentication (401/403), 4 server unreachable or failing (5xx, 408, 429),",
				"5 batch not finished yet (status without --watch), 130 interrupted (Ctrl-C)." })
public final class IntakeCli implements Runnable {

	@CommandLine.Spec
	CommandLine.Model.CommandSpec spec;

	/** {@code --url}, {@code --token}, {@code --config} before the command, for the commands that talk to Intake. */
	@CommandLine.Mixin
	Connection connection;

	public static void main(String[] args) {
		System.exit(run(args));
	}

	/** Runs one command line; the exit code. */
	public static int run(String... args) {
		return commandLine().execute(args);
	}

	/** The command line {@link #run} executes, for tests that read what it prints. */
	public static CommandLine commandLine() {
		CommandLine cli = new CommandLine(new IntakeCli());
		cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
			if (ex instanceof CliException failure) {
				commandLine.getErr().println("intake: " + failure.getMessage());
				return failure.exitCode();
			}
			if (ex instanceof IOException) {
				commandLine.getErr().println("intake: " + TerminalText.of(ex.getMessage()));
				return Exit.SERVER;
			}
			throw ex;
		});
		// usage errors as picocli handles them, but its message quotes the arguments as typed (paths, ids): made safe to print
		cli.setParameterExceptionHandler((ex, args) -> {
			CommandLine failed = ex.getCommandLine();
			failed.getErr().println(failed.getColorScheme().errorText(TerminalText.of(ex.getMessage())));
			if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, failed.getErr())) {
				failed.usage(failed.getErr(), failed.getColorScheme());
			}
			return Exit.USAGE;
		});
		// anything else is a bug: picocli prints its stack trace
		cli.setExitCodeExceptionMapper(ex -> ex instanceof CommandLine.ParameterException ? Exit.USAGE : Exit.SERVER);
		return cli;
	}

	@Override
	public void run() {
		throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
	}

}
