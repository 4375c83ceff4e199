package dev.intake.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionTest {

	@TempDir
	Path home;

	@Test
	void aFlagBeatsTheEnvironmentWhichBeatsTheConfigFile() throws IOException {
		writeConfig("url=http://file:1\ntoken=from-file\n");
		Connection connection = new Connection();

		assertThat(connection.resolve(Map.of(), home)).isEqualTo(new Connection.Target("http://file:1", "from-file"));
		assertThat(connection.resolve(Map.of("INTAKE_URL", "http://env:2", "INTAKE_TOKEN", "from-env"), home))
			.isEqualTo(new Connection.Target("http://env:2", "from-env"));
		connection.url = "http://flag:3/v1/";
		connection.token = "from-flag";
		assertThat(connection.resolve(Map.of("INTAKE_URL", "http://env:2", "INTAKE_TOKEN", "from-env"), home))
			.isEqualTo(new Connection.Target("http://flag:3", "from-flag"));
	}

	@Test
	void theUrlDefaultsToTheEmbeddedDefaultsAndATokenIsRequired() {
		Connection connection = new Connection();

		assertThat(connection.resolve(Map.of("INTAKE_TOKEN", "t"), home).baseUrl()).isEqualTo("http://127.0.0.1:8080");
		assertThatThrownBy(() -> connection.resolve(Map.of(), home)).isInstanceOf(CliException.class)
			.hasMessageContaining("No API token")
			.extracting(ex -> ((CliException) ex).exitCode())
			.isEqualTo(Exit.USAGE);
	}

	@Test
	void xdgConfigHomeAndIntakeConfigChooseTheFileAndANamedFileMustExist() throws IOException {
		Path xdg = Files.createDirectories(home.resolve("xdg/intake"));
		Files.writeString(xdg.resolve("config.properties"), "token=xdg\n");
		Path named = Files.writeString(home.resolve("named.properties"), "token=named\n");
		Connection connection = new Connection();

		assertThat(connection.resolve(Map.of("XDG_CONFIG_HOME", home.resolve("xdg").toString()), home).token())
			.isEqualTo("xdg");
		assertThat(connection.resolve(Map.of("INTAKE_CONFIG", named.toString()), home).token()).isEqualTo("named");
		assertThatThrownBy(() -> connection.resolve(Map.of("INTAKE_CONFIG", home.resolve("missing").toString()), home))
			.isInstanceOf(CliException.class)
			.hasMessageContaining("does not exist");
	}

	@Test
	void flagsBeforeTheCommandCountWhereNoneFollowsIt() throws IOException {
		Path named = Files.writeString(home.resolve("named.properties"), "token=named\n");

		Connection before = subcommandConnection("--config", named.toString(), "--url", "http://root:1", "status", "x");
		Connection overridden = subcommandConnection("--url", "http://root:1", "--token", "root", "status", "x",
				"--token", "status");

		assertThat(before.resolve(Map.of(), home)).isEqualTo(new Connection.Target("http://root:1", "named"));
		assertThat(overridden.resolve(Map.of("INTAKE_TOKEN", "env"), home))
			.isEqualTo(new Connection.Target("http://root:1", "status"));
		assertThat(subcommandConnection("--token", "flag", "status", "x").resolve(Map.of("INTAKE_URL", "http://env:1"), home))
			.isEqualTo(new Connection.Target("http://env:1", "flag"));
		assertThat(subcommandConnection("status", "x", "--url", "http://after:1", "--token", "after").resolve(Map.of(), home))
			.isEqualTo(new Connection.Target("http://after:1", "after"));
	}

	@Test
	void aUrlWithoutHttpIsAUsageError() {
		assertThatThrownBy(() -> Connection.normalize("127.0.0.1:8080")).isInstanceOf(CliException.class)
			.hasMessageContaining("http://");
	}

	/** The connection options of the command that {@code args} runs, as picocli parsed them. */
	private static Connection subcommandConnection(String... args) {
		CommandLine.ParseResult parsed = IntakeCli.commandLine().parseArgs(args);
		return (Connection) parsed.subcommand().commandSpec().mixins().get("connection").userObject();
	}

	private void writeConfig(String text) throws IOException {
		Files.createDirectories(home.resolve(".config/intake"));
		Files.writeString(home.resolve(".config/intake/config.properties"), text);
	}

}
