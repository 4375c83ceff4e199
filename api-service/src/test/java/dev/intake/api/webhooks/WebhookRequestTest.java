package dev.intake.api.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.intake.api.error.ApiProblem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookRequestTest {

	@Test
	void readsTheFieldsOfTheApi() {
		WebhookRequest request = parse(
				"{\"url\":\"https://hooks.example.com/x\",\"events\":[\"*\"],\"description\":\"shop\",\"enabled\":false}");

		assertThat(request).isEqualTo(new WebhookRequest("https://hooks.example.com/x", List.of("*"), "shop", false));
		assertThat(parse("{}")).isEqualTo(new WebhookRequest(null, null, null, null));
		assertThat(WebhookRequest.parse(new byte[0])).isNull();
	}

	@Test
	void aFieldGivenTwiceIsRefusedNotTakenLastWins() {
		assertRefused("{\"url\":\"https://a.example.com/\",\"url\":\"https://b.example.com/\"}",
				"The body gives a field twice.");
	}

	@Test
	void anUnknownFieldIsRefusedByName() {
		assertRefused("{\"url\":\"https://a.example.com/\",\"secret\":\"whsec_mine\"}",
				"The body has an unknown field 'secret'; the fields are url, events, description, enabled.");
	}

	/** Names the client sent are shown as {@code DisplayNames} has them, and cut short. */
	@Test
	void anUnknownFieldIsShownReadably() {
		assertRefused("{\"évent\":1}", "unknown field 'évent';");
		assertRefused("{\"ev\\u001b[2Jent\":1}", "unknown field 'ev\uFFFD[2Jent';");
		assertRefused("{\"" + "x".repeat(100) + "\":1}", "unknown field '" + "x".repeat(64) + "…';");
		assertThat(WebhookRequest.shown("\ud83d\ude00".repeat(65))).isEqualTo("\ud83d\ude00".repeat(64) + "…");
	}

	@Test
	void aValueOfTheWrongTypeIsRefusedNotCoerced() {
		assertRefused("{\"url\":\"https://a.example.com/\",\"description\":12}", "'description'");
		assertRefused("{\"url\":\"https://a.example.com/\",\"enabled\":\"yes\"}", "'enabled'");
		assertRefused("{\"url\":\"https://a.example.com/\",\"events\":\"*\"}", "'events'");
		assertRefused("[\"https://a.example.com/\"]", "The body must be a JSON object.");
	}

	@Test
	void bodiesThatAreNotJsonAreRefused() {
		assertRefused("{\"url\":", "The body is not valid JSON.");
		assertRefused("{\"url\":\"https://a.example.com/\"} {}", "The body is not valid JSON.");
	}

	private static WebhookRequest parse(String json) {
		return WebhookRequest.parse(json.getBytes(StandardCharsets.UTF_8));
	}

	private static void assertRefused(String json, String message) {
		assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(ApiProblem.class, problem -> {
			assertThat(problem.status().value()).isEqualTo(400);
			assertThat(problem.getMessage()).contains(message);
		});
	}

}
