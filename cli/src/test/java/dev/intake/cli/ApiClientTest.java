package dev.intake.cli;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiClientTest {

	@Test
	void serverSentEventsAreReadByFieldSkippingHeartbeatsAndOtherEvents() {
		List<String> seen = new ArrayList<>();
		List<String> lines = List.of("event:status", "data:{\"status\":\"TASK_PENDING\",", "data: \"n\":1}", "",
				":heartbeat", "", "event:other", "data:{\"status\":\"IGNORED\"}", "", "event: status",
				"data:{\"status\":\"TASK_SUCCEEDED\"}", "", "event:status", "data:{\"status\":\"AFTER\"}", "");

		boolean more = ApiClient.readEvents(lines.iterator(), data -> {
			seen.add(data.path("status").asString());
			return !"TASK_SUCCEEDED".equals(data.path("status").asString());
		});

		assertThat(more).isFalse();
		assertThat(seen).containsExactly("TASK_PENDING", "TASK_SUCCEEDED");
	}

	@Test
	void jsonOutputEscapesWhatATerminalWouldActOnAndKeepsOtherTextAsItIs() {
		String text = "a\u001b[2J\u007f\u009b\u2028\u202e\u2066 фото 👩\u200d💻";

		String json = ApiClient.JSON.writeValueAsString(ApiClient.JSON.createObjectNode().put("name", text));

		assertThat(json).isEqualTo("{\"name\":\"a\\u001B[2J\\u007F\\u009b\\u2028\\u202e\\u2066 фото 👩\u200d💻\"}");
		assertThat(ApiClient.JSON.readTree(json).path("name").asString()).isEqualTo(text);
	}

	@Test
	void errorsKeepTheApisCodeAndMessageAndMapToExitCodes() {
		ApiException refused = ApiClient.error(400, "{\"code\":1000,\"message\":\"The upload file list cannot be empty.\"}");
		assertThat(refused.exitCode()).isEqualTo(Exit.FAILED);
		assertThat(refused.code()).isEqualTo(1000);
		assertThat(refused.serverMessage()).isEqualTo("The upload file list cannot be empty.");
		assertThat(ApiClient.error(401, "{\"code\":1001,\"message\":\"Missing\"}").exitCode()).isEqualTo(Exit.AUTH);
		assertThat(ApiClient.error(403, "{\"code\":1403,\"message\":\"scope\"}").exitCode()).isEqualTo(Exit.AUTH);
		assertThat(ApiClient.error(503, "{\"code\":1500,\"message\":\"later\"}").exitCode()).isEqualTo(Exit.SERVER);
		assertThat(ApiClient.error(429, "{\"code\":1429,\"message\":\"slow down\"}").exitCode()).isEqualTo(Exit.SERVER);
		assertThat(ApiClient.error(502, "<html>Bad gateway</html>").getMessage()).contains("Bad gateway");
	}

}
