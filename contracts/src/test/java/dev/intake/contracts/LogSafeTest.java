package dev.intake.contracts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogSafeTest {

	@Test
	void escapesLineBreaksAndControlCharacters() {
		assertThat(LogSafe.text("a\nINFO forged\r\tb\u0000c\u2028")).isEqualTo("a\\nINFO forged\\r\\tb\\u0000c\\u2028");
	}

	@Test
	void escapesBidiControlsThatMakeALineReadDifferently() {
		assertThat(LogSafe.text("invoice\u202egpj.exe \u2066x\u2069")).isEqualTo("invoice\\u202egpj.exe \\u2066x\\u2069");
	}

	@Test
	void keepsOrdinaryTextAndShortensLongText() {
		assertThat(LogSafe.text("photo-1.jpg")).isEqualTo("photo-1.jpg");
		assertThat(LogSafe.text("x".repeat(1000))).hasSize(203).endsWith("...");
		assertThat(LogSafe.text(null)).isEqualTo("null");
	}

}
