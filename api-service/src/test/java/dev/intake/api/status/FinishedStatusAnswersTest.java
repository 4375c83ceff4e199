package dev.intake.api.status;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FinishedStatusAnswersTest {

	@Test
	void keepsWithinItsBudgetDroppingTheLeastRecentlyAsked() {
		FinishedStatusAnswers answers = new FinishedStatusAnswers(400);
		for (int i = 0; i < 4; i++) {
			answers.remember("acme/b-" + i, "\"t" + i + "\"", new byte[100]);
		}
		answers.get("acme/b-0"); // asked again: the most recent
		answers.remember("acme/b-4", "\"t4\"", new byte[100]);

		assertThat(answers.size()).isEqualTo(400);
		assertThat(answers.count()).isEqualTo(4);
		assertThat(answers.get("acme/b-0")).isNotNull();
		assertThat(answers.get("acme/b-1")).as("the least recently asked").isNull();
	}

	@Test
	void anAnswerLargerThanAQuarterOfTheBudgetIsNotKeptAndReplacesNothingStale() {
		FinishedStatusAnswers answers = new FinishedStatusAnswers(400);
		answers.remember("acme/b-1", "\"t1\"", new byte[100]);
		answers.remember("acme/b-1", "\"t2\"", new byte[101]);

		assertThat(answers.get("acme/b-1")).as("the older answer is not kept either").isNull();
		assertThat(answers.size()).isZero();
	}

	@Test
	void aNewerAnswerReplacesTheKeptOneAndForgettingFreesItsBytes() {
		FinishedStatusAnswers answers = new FinishedStatusAnswers(400);
		answers.remember("acme/b-1", "\"t1\"", new byte[100]);
		answers.remember("acme/b-1", "\"t2\"", new byte[50]);

		assertThat(answers.get("acme/b-1").etag()).isEqualTo("\"t2\"");
		assertThat(answers.size()).isEqualTo(50);
		answers.forget("acme/b-1");
		assertThat(answers.size()).isZero();
		assertThat(answers.count()).isZero();
	}

	@Test
	void aZeroBudgetKeepsNothing() {
		FinishedStatusAnswers answers = new FinishedStatusAnswers(0);
		answers.remember("acme/b-1", "\"t1\"", new byte[1]);
		assertThat(answers.get("acme/b-1")).isNull();
	}

}
