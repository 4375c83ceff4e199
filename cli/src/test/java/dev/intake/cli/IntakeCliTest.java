package dev.intake.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class IntakeCliTest {

	@ParameterizedTest
	@ValueSource(strings = { "", "upload", "status", "retry", "events", "keys", "keys create", "keys hash" })
	void everyCommandAnswersHelp(String command) {
		StringWriter out = new StringWriter();
		CommandLine cli = IntakeCli.commandLine();
		cli.setOut(new PrintWriter(out));
		String[] args = (command.isEmpty() ? "--help" : command + " --help").split(" ");

		int exit = cli.execute(args);

		assertThat(exit).isZero();
		assertThat(out.toString()).startsWith("Usage: intake" + (command.isEmpty() ? "" : " " + command));
	}

	@Test
	void anUnknownOptionAMissingArgumentOrNoCommandIsExit2() {
		assertThat(run("upload", "--no-such-option", "x")).isEqualTo(Exit.USAGE);
		assertThat(run("status")).isEqualTo(Exit.USAGE);
		assertThat(run("upload", "--limit-rate", "fast", "x")).isEqualTo(Exit.USAGE);
		assertThat(run()).isEqualTo(Exit.USAGE);
	}

	@Test
	void theRootHelpDocumentsExitCodesAndConfiguration() {
		StringWriter out = new StringWriter();
		CommandLine cli = IntakeCli.commandLine();
		cli.setOut(new PrintWriter(out));

		cli.execute("--help");

		assertThat(out.toString()).contains("INTAKE_URL").contains("config.properties").contains("3 authentication");
	}

	@Test
	void aUsageErrorQuotesTheArgumentsWithoutTheirControlCharacters() {
		StringWriter err = new StringWriter();
		CommandLine cli = IntakeCli.commandLine();
		cli.setErr(new PrintWriter(err));

		int exit = cli.execute("upload", "--evil\u001b[31m\u202e", "x");

		assertThat(exit).isEqualTo(Exit.USAGE);
		assertThat(err.toString()).contains("--evil\uFFFD[31m\uFFFD")
			.doesNotContain("\u001b")
			.doesNotContain("\u202e")
			.contains("Usage: intake upload");
	}

	private static int run(String... args) {
		CommandLine cli = IntakeCli.commandLine();
		cli.setErr(new PrintWriter(new StringWriter()));
		return cli.execute(args);
	}

}
