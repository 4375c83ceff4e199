package dev.intake.worker.imaging.svg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SvgUseBudgetTest {

	@Test
	void aUseCountsItselfAndTheExpandedElementItNames() throws Exception {
		// root, g#a with two rects (3), and two uses of #a (1 + 3 each): 1 + 3 + 8 = 12
		SvgUseBudget exact = document(12);
		assertThatCode(exact::finish).doesNotThrowAnyException();
		SvgUseBudget short1 = document(11);
		assertThatExceptionOfType(SvgActiveContentException.class).isThrownBy(short1::finish)
			.withMessage("it stands for more than 11 elements once its <use> references are expanded");
	}

	@Test
	void moreElementsThanTheBudgetAreRefusedAsTheyArrive() throws Exception {
		SvgUseBudget budget = new SvgUseBudget(3);
		budget.start(null, null);
		budget.start(null, null);
		budget.end();
		budget.start(null, null);
		budget.end();
		assertThatExceptionOfType(SvgActiveContentException.class).isThrownBy(() -> budget.start(null, null));
	}

	@Test
	void aReferenceToNoElementCountsNothingAndTheFirstIdWins() throws Exception {
		SvgUseBudget budget = new SvgUseBudget(5);
		budget.start(null, null);
		budget.start(null, "missing");
		budget.end();
		budget.start("x", null);
		budget.end();
		budget.start("x", null);
		budget.start(null, null);
		budget.end();
		budget.end();
		budget.end();
		assertThatCode(budget::finish).doesNotThrowAnyException();
	}

	@Test
	void aLoopThroughSeveralReferencesIsRefused() throws Exception {
		SvgUseBudget budget = new SvgUseBudget(100);
		budget.start(null, null);
		for (String[] link : new String[][] { { "a", "b" }, { "b", "c" }, { "c", "a" } }) {
			budget.start(link[0], null);
			budget.start(null, link[1]);
			budget.end();
			budget.end();
		}
		budget.end();
		assertThatExceptionOfType(SvgActiveContentException.class).isThrownBy(budget::finish)
			.withMessage("it has a <use> reference loop");
	}

	private static SvgUseBudget document(int max) throws Exception {
		SvgUseBudget budget = new SvgUseBudget(max);
		budget.start(null, null);
		budget.start(null, "a");
		budget.end();
		budget.start("a", null);
		budget.start(null, null);
		budget.end();
		budget.start(null, null);
		budget.end();
		budget.end();
		budget.start(null, "a");
		budget.end();
		budget.end();
		return budget;
	}

}
