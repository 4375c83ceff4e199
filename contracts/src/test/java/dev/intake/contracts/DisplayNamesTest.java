package dev.intake.contracts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DisplayNamesTest {

	@Test
	void replacesControlsSeparatorsBidiControlsAndHalfSurrogates() {
		assertThat(DisplayNames.clean("a\u0001b\u001b[2J\u007f\u0085.png")).isEqualTo("a\uFFFDb\uFFFD[2J\uFFFD\uFFFD.png");
		assertThat(DisplayNames.clean("photo\u202egnp.exe")).isEqualTo("photo\uFFFDgnp.exe");
		assertThat(DisplayNames.clean("line\u2028break\tand\nnew")).isEqualTo("line\uFFFDbreak\uFFFDand\uFFFDnew");
		assertThat(DisplayNames.clean("half\ud800.png")).isEqualTo("half\uFFFD.png");
		assertThat(DisplayNames.clean("\udc00x")).isEqualTo("\uFFFDx");
	}

	@Test
	void keepsOtherTextAsSent() {
		for (String name : new String[] { "фото.jpg", "写真 1.png", "👩\u200d💻.gif", "café – menu.webp", "" }) {
			assertThat(DisplayNames.clean(name)).isSameAs(name);
			assertThat(DisplayNames.isClean(name)).isTrue();
		}
		assertThat(DisplayNames.clean(null)).isNull();
	}

	@Test
	void submittedItemsKeepCleanNames() {
		SubmittedItem item = new SubmittedItem(0, "id", "a\u0001.png",
				new ItemSource.Remote("https://images.example.com/a.png"), "z\u001b.zip", "a.png");
		assertThat(item.name()).isEqualTo("a\uFFFD.png");
		assertThat(item.archive()).isEqualTo("z\uFFFD.zip");
	}

}
