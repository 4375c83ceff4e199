package dev.intake.contracts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ItemIdsTest {

	@Test
	void anItemIdNamesItsBatchAndIndex() {
		BatchKey batch = new BatchKey("local", "b-1");

		assertThat(ItemIds.parse(ItemIds.of(batch, 7))).hasValue(new ItemIds.Located(batch, 7));
	}

	@Test
	void somethingElseIsNoItemId() {
		assertThat(ItemIds.parse(null)).isEmpty();
		assertThat(ItemIds.parse("local/b-1")).isEmpty();
		assertThat(ItemIds.parse("local/b-1/x")).isEmpty();
		assertThat(ItemIds.parse("local/b-1/-3")).isEmpty();
		assertThat(ItemIds.parse("a/b/c/1")).isEmpty();
	}

}
