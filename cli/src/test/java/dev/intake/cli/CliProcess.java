package dev.intake.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code intake} as its own Java process with the module's runtime classpath
 * ({@code target/classes} and {@code target/cli-classpath.txt}, written by the build), the way
 * the launcher runs the jar.
 */
final class CliProcess {

	static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

	private CliProcess() {
	}

	record Result(int exit, String out, String err) {

		@Override
		public String toString() {
			return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
		}

	}

	static String classpath() throws IOException {
		Path module = Path.of("target").toAbsolutePath();
		String dependencies = Files.readString(module.resolve("cli-classpath.txt")).strip();
		return module.resolve("classes") + File.pathSeparator + dependencies;
	}

	/** The command line that starts the CLI with {@code args}. */
	static List<String> command(List<String> args) throws IOException {
		List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx128m", "-cp", classpath(), IntakeCli.class.getName()));
		command.addAll(args);
		return command;
	}

	static ProcessBuilder builder(Path workDir, Map<String, String> env, List<String> command) {
		ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
		// no user configuration leaks into the test: HOME is the work folder
		builder.environment().keySet().removeIf(name -> name.startsWith("INTAKE_") || name.equals("XDG_CONFIG_HOME"));
		builder.environment().put("HOME", workDir.toString());
		builder.environment().putAll(env);
		return builder;
	}

	static Process start(Path workDir, Map<String, String> env, String... args) throws IOException {
		Path out = workDir.resolve(".out-" + System.nanoTime());
		return builder(workDir, env, command(List.of(args))).redirectOutput(out.toFile())
			.redirectError(out.resolveSibling(out.getFileName() + ".err").toFile())
			.start();
	}

	static Result run(Path workDir, Map<String, String> env, String... args) throws Exception {
		return finish(builder(workDir, env, command(List.of(args))));
	}

	static Result finish(ProcessBuilder builder) throws Exception {
		Path out = Files.createTempFile("intake-cli", ".out");
		Path err = Files.createTempFile("intake-cli", ".err");
		try {
			Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
			process.getOutputStream().close();
			if (!process.waitFor(3, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new AssertionError("the CLI did not finish in 3 minutes: " + Files.readString(err));
			}
			return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
					Files.readString(err, StandardCharsets.UTF_8));
		}
		finally {
			Files.deleteIfExists(out);
			Files.deleteIfExists(err);
		}
	}

}
