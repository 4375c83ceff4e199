package dev.intake.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/**
 * Runs one {@code intake} command line in the test's own JVM ({@link IntakeCli#commandLine()}),
 * taking what it prints: for the cases where the process itself (the launcher's exit code, a
 * terminal, being killed) is not what is tested, without starting a JVM for each command.
 */
final class CliInProcess {

	private CliInProcess() {
	}

	static CliProcess.Result run(String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		CommandLine cli = IntakeCli.commandLine();
		cli.setOut(new PrintWriter(out, true));
		cli.setErr(new PrintWriter(err, true));
		int exit = cli.execute(args);
		cli.getOut().flush();
		cli.getErr().flush();
		return new CliProcess.Result(exit, out.toString(), err.toString());
	}

}
