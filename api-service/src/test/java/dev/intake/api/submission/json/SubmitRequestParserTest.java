package dev.intake.api.submission.json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import dev.intake.api.error.ApiProblem;
import dev.intake.api.submission.json.SubmitEvent.Body;
import dev.intake.api.submission.json.SubmitEvent.DataChunk;
import dev.intake.api.submission.json.SubmitEvent.DataEnd;
import dev.intake.api.submission.json.SubmitEvent.DataStart;
import dev.intake.api.submission.json.SubmitEvent.Item;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubmitRequestParserTest {

	@Test
	void turnsTheBodyIntoEventsWhateverTheChunking() {
		byte[] image = "\u0089PNG fake image bytes".getBytes(StandardCharsets.ISO_8859_1);
		String json = """
				{ "unknown": {"nested": [1, 2.5e3, "x\\"y", {"data": "ignored"}]}, "batch_id": "b-1",
				  "items": [
				    {"type": "url", "url": "https://example.com/a/cat.jpg", "extra": [true, null]},
				    {"data": "data:image/png;base64,%s", "image_name": "caf\\u00e9.png", "type": "base64"},
				    {"type": "base64", "data": "%s", "image_name": null}
				  ]
				}
				""".formatted(Base64.getEncoder().encodeToString(image),
				Base64.getEncoder().encodeToString(image).replace("/", "\\/"));
		for (int piece : new int[] { 1, 2, 5, 64, json.length() }) {
			List<SubmitEvent> events = parse(json, piece, 300);
			assertThat(events).filteredOn(Item.class::isInstance)
				.containsExactly(new Item(0, "url", "https://example.com/a/cat.jpg", null, false),
						new Item(1, "base64", null, "café.png", true), new Item(2, "base64", null, null, true));
			assertThat(events).filteredOn(DataStart.class::isInstance)
				.containsExactly(new DataStart(1, "image/png"), new DataStart(2, null));
			assertThat(events).filteredOn(DataEnd.class::isInstance)
				.containsExactly(new DataEnd(1, image.length, false, false), new DataEnd(2, image.length, false, false));
			assertThat(events.get(events.size() - 1)).isEqualTo(new Body("b-1", 3, null));
			assertThat(decoded(events, 1)).isEqualTo(image);
			assertThat(decoded(events, 2)).isEqualTo(image);
		}
	}

	@Test
	void rejectsMalformedJson() {
		expectProblem("{\"items\": [}", "The request body is not valid JSON: unexpected '}' at byte 11.");
		expectProblem("{\"items\": tru}", "The request body is not valid JSON: 'tru' at byte 13 is not a value.");
		expectProblem("{\"items\": []} x", "The request body is not valid JSON: unexpected 'x' at byte 14.");
		expectProblem("{\"items\": [", "The request body is not valid JSON: it ends early.");
		expectProblem("", "The request body is empty; it must be a JSON object with an 'items' array.");
		expectProblem("{\"a\":" + "[".repeat(40), "The request body is not valid JSON: it nests deeper than 32 levels.");
	}

	@Test
	void rejectsTheWrongShape() {
		expectProblem("[]", "The request body must be a JSON object with an 'items' array.");
		expectProblem("{\"items\": {}}", "The 'items' field must be an array of objects.");
		expectProblem("{\"items\": \"x\"}", "The 'items' field must be an array of objects.");
		expectProblem("{\"batch_id\": 7, \"items\": []}", "The 'batch_id' field must be a string.");
		expectProblem("{\"callback_url\": [], \"items\": []}", "The 'callback_url' field must be a string.");
		expectProblem("{\"items\": [{}, \"x\"]}", "The 2nd item must be a JSON object.");
		expectProblem("{\"items\": [{\"url\": 5}]}", "The 1st item's 'url' must be a string.");
		expectProblem("{\"items\": [{\"type\": \"url\", \"type\": \"url\"}]}",
				"The 1st item has more than one 'type'.");
		expectProblem("{\"items\": [], \"items\": []}", "The 'items' field must be given at most once.");
	}

	@Test
	void rejectsTheItemPastTheLimit() {
		String item = "{\"type\": \"url\", \"url\": \"https://example.com/x.png\"}";
		String three = "{\"items\": [" + String.join(",", Collections.nCopies(3, item)) + "]}";
		String json = "{\"items\": [" + String.join(",", Collections.nCopies(4, item)) + "]}";
		assertThat(parse(three, 7, 3))
			.filteredOn(Item.class::isInstance)
			.hasSize(3);
		assertThatThrownBy(() -> parse(json, 7, 3)).isInstanceOf(ApiProblem.class)
			.hasMessage("The number of images exceeds the maximum of 3 per batch.");
	}

	private static void expectProblem(String json, String message) {
		assertThatThrownBy(() -> parse(json, 3, 300)).as(json).isInstanceOf(ApiProblem.class).hasMessage(message);
	}

	@Test
	void readsTheCallbackUrlBesideTheItems() {
		String json = "{\"items\": [{\"type\": \"url\", \"url\": \"https://example.com/a.png\"}], "
				+ "\"callback_url\": \"https://hooks.example.com/done\"}";
		for (int piece : new int[] { 1, 7, json.length() }) {
			List<SubmitEvent> events = parse(json, piece, 300);
			assertThat(events.get(events.size() - 1)).isEqualTo(new Body(null, 1, "https://hooks.example.com/done"));
		}
	}

	private static List<SubmitEvent> parse(String json, int piece, int maxImages) {
		SubmitRequestParser parser = new SubmitRequestParser(maxImages, 1 << 20);
		JsonScanner scanner = new JsonScanner(parser, 32, 64 * 1024);
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		List<SubmitEvent> events = new ArrayList<>();
		for (int i = 0; i < bytes.length; i += piece) {
			scanner.feed(bytes, i, Math.min(piece, bytes.length - i));
			events.addAll(parser.takeEvents());
		}
		scanner.end();
		events.addAll(parser.takeEvents());
		return events;
	}

	private static byte[] decoded(List<SubmitEvent> events, int index) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		boolean inside = false;
		for (SubmitEvent event : events) {
			if (event instanceof DataStart start) {
				inside = start.index() == index;
			}
			else if (event instanceof DataChunk chunk && inside) {
				byte[] bytes = new byte[chunk.content().readableByteCount()];
				chunk.content().read(bytes);
				out.writeBytes(bytes);
			}
			else if (event instanceof DataEnd) {
				inside = false;
			}
		}
		return out.toByteArray();
	}

}
