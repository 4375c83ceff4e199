package dev.intake.status;

import java.util.Map;
import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package boundaries of the status-service: its feature packages ({@code progress},
 * {@code lookup}, {@code live}, {@code view}, {@code web}, {@code security}, {@code catalogue},
 * {@code links}, {@code content}) do not depend on each
 * other in a cycle, reach into each other only through the entry points listed here, and the
 * service never uses another service's code.
 */
@AnalyzeClasses(packages = "dev.intake.status", importOptions = { ImportOption.DoNotIncludeTests.class,
		ImportOption.DoNotIncludeJars.class })
class StatusBoundaryTest {

	private static final String ROOT = "dev.intake.status";

	/** Per feature, the classes other features may use (nested classes included). */
	private static final Map<String, Set<String>> ENTRY_POINTS = Map.of(
			"progress", Set.of("BatchProgress", "BatchProgressListener", "ProgressChangesTopology", "BatchProgressTopology", "BatchStatus",
					"ItemProgress", "ItemState", "ObjectUrls", "RetentionProperties"),
			"queue", Set.of("JobQueue", "QueuePosition", "QueueProperties"),
			"lookup", Set.of("BatchProgressStore", "BatchStatusQuery", "PeerForwarder", "PeerRelay", "PeerRelays",
					"ReadYourWritesLookup", "StatusAnswer", "StatusUnavailableException"),
			"live", Set.of("LiveBatchEvents", "LiveEventsProperties"),
			"view", Set.of("BatchStatusView", "ImageLinkProperties", "RetryableItemsView"),
			"web", Set.of(),
			"security", Set.of(),
			"catalogue", Set.of("CatalogueCatchUp", "CatalogueUnavailableException", "KeyedStore"),
			"links", Set.of(),
			"content", Set.of());

	@ArchTest
	static final ArchRule featuresAreFreeOfCycles = slices().matching(ROOT + ".(*)..").should().beFreeOfCycles();

	@ArchTest
	static final ArchRule featuresUseOnlyEntryPointsOfEachOther = CompositeArchRule
		.of(ENTRY_POINTS.entrySet()
			.stream()
			.map(feature -> onlyEntryPointsUsedFromOutside(feature.getKey(), feature.getValue()))
			.toList());

	@ArchTest
	static final ArchRule noOtherService = noClasses().should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.intake.api..", "dev.intake.worker..")
		.because("the services share only the contracts and the platform");

	static ArchRule onlyEntryPointsUsedFromOutside(String feature, Set<String> entryPoints) {
		String pkg = ROOT + "." + feature;
		return noClasses().that()
			.resideOutsideOfPackage(pkg + "..")
			.should()
			.dependOnClassesThat(internalOf(pkg, entryPoints))
			.because("other packages use " + feature + " only through " + entryPoints);
	}

	/** Classes of a package tree whose top-level class is not one of the entry points. */
	static DescribedPredicate<JavaClass> internalOf(String pkg, Set<String> entryPoints) {
		return DescribedPredicate.describe("internals of " + pkg, javaClass -> {
			if (!javaClass.getPackageName().equals(pkg) && !javaClass.getPackageName().startsWith(pkg + ".")) {
				return false;
			}
			String topLevel = javaClass.getName().substring(javaClass.getPackageName().length() + 1).split("\\$")[0];
			return !entryPoints.contains(topLevel);
		});
	}

}
