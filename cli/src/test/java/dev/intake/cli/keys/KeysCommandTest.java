package dev.intake.cli.keys;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.SecureRandom;

import dev.intake.api.auth.ApiKeyTool;
import dev.intake.cli.Exit;
import dev.intake.cli.IntakeCli;
import dev.intake.contracts.ApiScopes;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class KeysCommandTest {

	@Test
	void keysAndHashesAreThoseTheApiServiceAccepts() {
		String key = KeysCommand.newKey(new SecureRandom());

		assertThat(key).matches("ik_[A-Za-z0-9_-]{43}");
		assertThat(KeysCommand.hashOf(key)).matches("sha256:[0-9a-f]{64}").isEqualTo(ApiKeyTool.hashOf(key));
		assertThat(KeysCommand.newKey(new SecureRandom())).isNotEqualTo(key);
	}

	@Test
	void aKeyForWebhookSubscriptionsCarriesTheWebhooksScope() {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();

		int exit = execute(out, err, "keys", "create", "hooks", "acme", "--scopes", "images:read,webhooks:manage");

		assertThat(exit).as(err.toString()).isEqualTo(Exit.OK);
		assertThat(out.toString()).contains("intake.security.api-keys.hooks.tenant=acme")
			.contains("intake.security.api-keys.hooks.scopes=images:read,webhooks:manage");
	}

	@Test
	void everyScopeTheApiServiceKnowsIsOfferedAndAccepted() {
		StringWriter help = new StringWriter();
		execute(help, new StringWriter(), "keys", "create", "--help");

		for (String scope : ApiScopes.NAMES) {
			assertThat(help.toString()).contains(scope);
			StringWriter out = new StringWriter();
			assertThat(execute(out, new StringWriter(), "keys", "create", "k", "acme", "--scopes", scope)).as(scope)
				.isEqualTo(Exit.OK);
			assertThat(out.toString()).contains("intake.security.api-keys.k.scopes=" + scope + "\n");
		}
	}

	@Test
	void withoutScopesAKeyReadsAndWrites() {
		StringWriter out = new StringWriter();

		int exit = execute(out, new StringWriter(), "keys", "create", "shop", "acme");

		assertThat(exit).isEqualTo(Exit.OK);
		assertThat(out.toString()).contains("intake.security.api-keys.shop.scopes=images:read,images:write");
	}

	@Test
	void aScopeTheApiServiceDoesNotKnowIsAUsageErrorNamingTheKnownOnes() {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();

		int exit = execute(out, err, "keys", "create", "shop", "acme", "--scopes", "images:read,images:delete");

		assertThat(exit).isEqualTo(Exit.USAGE);
		assertThat(out.toString()).isEmpty();
		assertThat(err.toString()).contains("Unknown scope 'images:delete'").contains("webhooks:manage");
	}

	private static int execute(StringWriter out, StringWriter err, String... args) {
		CommandLine cli = IntakeCli.commandLine();
		cli.setOut(new PrintWriter(out));
		cli.setErr(new PrintWriter(err));
		int exit = cli.execute(args);
		cli.getOut().flush();
		cli.getErr().flush();
		return exit;
	}

}
