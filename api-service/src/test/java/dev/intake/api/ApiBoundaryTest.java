package dev.intake.api;

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
 * The package boundaries of the api-service. A feature is a top-level package under
 * {@code dev.intake.api} with everything below it (e.g. {@code submission} and any
 * {@code submission.*}): features do not depend on each other in a cycle, reach into each other
 * only through the entry points listed here (by class name, wherever in the feature the class
 * lives), and the service never uses another service's code.
 */
@AnalyzeClasses(packages = "dev.intake.api", importOptions = { ImportOption.DoNotIncludeTests.class,
		ImportOption.DoNotIncludeJars.class })
class ApiBoundaryTest {

	private static final String ROOT = "dev.intake.api";

	/** Per feature, the classes other features may use (nested classes included). */
	private static final Map<String, Set<String>> ENTRY_POINTS = Map.ofEntries(
			Map.entry("auth", Set.of("Tenant", "PresentedCredential")),
			Map.entry("error", Set.of("ApiProblem", "CompatibleRefusals")),
			Map.entry("assets", Set.of("SingleFileUpload", "AssetRequest", "FileRefused", "StoredAsset", "FileType")),
			Map.entry("compat", Set.<String>of()),
			Map.entry("limits", Set.of("TenantQuotas", "LateAdmission", "SubmissionSlot")),
			Map.entry("status", Set.of("StatusServiceClient")),
			Map.entry("console", Set.<String>of()),
			Map.entry("docs", Set.<String>of()),
			Map.entry("image", Set.<String>of()),
			Map.entry("retry", Set.<String>of()),
			Map.entry("webhooks", Set.of("BatchCallbacks")),
			Map.entry("submission",
					Set.of("UploadProperties", "ReaderErrors", "PartBuffers", "DiscardScope", "BodyCutOff")),
			Map.entry("staging", Set.of("StagingArea", "StagingStore", "StagedObjects", "UploadSlots",
					"ConnectionThread", "StagingProperties")),
			Map.entry("claims", Set.of("BatchClaims", "IdempotencyKey", "Ids", "BatchIdProperties")),
			Map.entry("publish", Set.of("BatchPublisher", "KafkaBatchPublisher", "MeteredBatchPublisher", "PublishProperties")));

	@ArchTest
	static final ArchRule featuresAreFreeOfCycles = slices().matching(ROOT + ".(*)..").should().beFreeOfCycles();

	@ArchTest
	static final ArchRule submissionPartsAreFreeOfCycles = slices().matching(ROOT + ".submission.(*)..")
		.should()
		.beFreeOfCycles()
		.allowEmptyShould(true);

	@ArchTest
	static final ArchRule featuresUseOnlyEntryPointsOfEachOther = CompositeArchRule
		.of(ENTRY_POINTS.entrySet()
			.stream()
			.map(feature -> onlyEntryPointsUsedFromOutside(feature.getKey(), feature.getValue()))
			.toList());

	@ArchTest
	static final ArchRule noOtherService = noClasses().should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.intake.status..", "dev.intake.worker..")
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
