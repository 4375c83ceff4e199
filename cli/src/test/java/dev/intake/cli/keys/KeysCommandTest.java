package dev.intake.cli.keys;

import java.security.SecureRandom;

import dev.intake.api.auth.ApiKeyTool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeysCommandTest {

	@Test
	void keysAndHashesAreThoseTheApiServiceAccepts() {
		String key = KeysCommand.newKey(new SecureRandom());

		assertThat(key).matches("ik_[A-Za-z0-9_-]{43}");
		assertThat(KeysCommand.hashOf(key)).matches("sha256:[0-9a-f]{64}").isEqualTo(ApiKeyTool.hashOf(key));
		assertThat(KeysCommand.newKey(new SecureRandom())).isNotEqualTo(key);
	}

}
