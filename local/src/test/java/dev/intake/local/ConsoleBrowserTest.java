package dev.intake.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.regex.Pattern;

import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web console in a real browser (headless Chromium driven by Selenium) against the embedded
 * default with its real Kafka and S3: a person pastes a key, drops three images and one broken
 * file, watches three thumbnails and one readable error arrive, presses "Retry failed" (refused
 * with the API's reason: a corrupt file would fail the same way again), reloads the page and
 * reopens the batch from the recent list; then a folder of 301 images goes as two batches; last, a
 * batch whose item the worker holds says where it waits. Skips when Chromium or its driver is not installed.
 * With {@code -Dintake.console.screenshots=DIR} it writes screenshots of the main states to DIR.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(SharedStack.LAST)
class ConsoleBrowserTest {

	/** Where Debian's {@code chromium} and {@code chromium-driver} packages put them; overridable. */
	private static final String CHROMIUM = System.getProperty("intake.chromium", "/usr/bin/chromium");

	private static final String CHROMEDRIVER = System.getProperty("intake.chromedriver", "/usr/bin/chromedriver");

	/** What the page and the pipeline are waited for: it costs time only when a test fails. */
	private static final Duration WAIT = Duration.ofMinutes(3);

	/** The file whose decode the worker holds until the stack stops, so its batch stays unfinished. */
	private static final String HELD = SharedStack.HELD;

	private static final Pattern WAITS = Pattern.compile("(No items|1 item|[1-9][0-9]* items) queued ahead"
			+ "( · (done in about [1-9][0-9]* (s|min|h)|done any moment now) \\(around .+\\))?");

	/** The last class on its stack: the held job stays held until the stack stops. */
	@RegisterExtension
	static final SharedStack stack = new SharedStack();

	@TempDir
	static Path files;

	static LocalIntake intake;

	static WebDriver browser;

	private static final boolean INSTALLED = Files.isExecutable(Path.of(CHROMIUM))
			&& Files.isExecutable(Path.of(CHROMEDRIVER));

	@BeforeAll
	static void start() throws Exception {
		if (!INSTALLED) {
			return;
		}
		intake = stack.intake();
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
			.addArguments("--headless=new", "--window-size=1280,1000", "--disable-gpu", "--disable-dev-shm-usage",
					"--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
					"--disable-background-networking", "--disable-component-update", "--disable-default-apps",
					"--lang=en-US");
		if ("root".equals(System.getProperty("user.name"))) {
			// Chromium's sandbox refuses to run as root (CI containers)
			options.addArguments("--no-sandbox");
		}
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		browser = new ChromeDriver(service, options);
		browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
	}

	/** Each test is reported as skipped, with the reason, where the browser is missing. */
	@BeforeEach
	void browserInstalled() {
		assumeTrue(INSTALLED, "Browser test skipped: Chromium and its driver are not installed (looked for " + CHROMIUM
				+ " and " + CHROMEDRIVER + "; on Debian: apt-get install chromium chromium-driver, or set "
				+ "-Dintake.chromium and -Dintake.chromedriver)");
	}

	@AfterAll
	static void stop() {
		if (browser != null) {
			browser.quit();
		}
	}

	@Test
	@Order(1)
	void dropWatchRetryReloadAndReopen() throws IOException {
		String base = "http://127.0.0.1:" + intake.settings().apiPort();
		browser.get(base + "/");
		await().atMost(WAIT).until(() -> text("key-state").contains("No key set"));
		assertEveryFieldIsLabelled();
		assertTextContrast();
		screenshot("console-start");

		// by keyboard: the key's field submits with Enter, the retry button presses with Space
		browser.findElement(By.id("api-key")).sendKeys(intake.settings().apiToken(), Keys.ENTER);
		await().atMost(WAIT).until(() -> text("key-state").contains("accepted by the server"));
		assertThat(browser.findElement(By.id("api-key")).getAttribute("value")).as("the key leaves the field").isEmpty();

		List<Path> dropped = List.of(write("red.png", TestImages.unique().png(64, 48)),
				write("green.jpg", TestImages.unique().jpeg(40, 30)), write("blue.gif", TestImages.unique().gif(24, 24)),
				write("broken.jpg", Arrays.copyOf(TestImages.unique().jpeg(40, 30), 40)));
		drop(dropped);
		await().atMost(WAIT).until(() -> text("selection-summary").startsWith("4 file(s) selected"));
		String batchId = "console-" + Long.toHexString(System.nanoTime());
		browser.findElement(By.id("batch-id")).sendKeys(batchId);
		browser.findElement(By.cssSelector("#selection summary")).click();
		List<String> listed = browser.findElements(By.cssSelector("#file-list li")).stream().map(WebElement::getText).toList();
		assertThat(listed).hasSize(4).last().isEqualTo("broken.jpg (40 B)");
		assertThat(listed.stream().map(line -> line.replaceAll(" \\([0-9.]+ K?B\\)$", "")))
			.containsExactly("red.png", "green.jpg", "blue.gif", "broken.jpg");
		screenshot("console-selected");
		browser.findElement(By.id("upload")).click();

		awaitBatchShown(batchId);
		assertThat(text("batch-state")).isEqualTo("Finished: 3 stored, 1 failed.");
		assertThat(text("count-total")).isEqualTo("4");
		assertThat(text("count-stored")).isEqualTo("3");
		assertThat(text("count-failed")).isEqualTo("1");
		assertThat(browser.findElements(By.cssSelector("#thumbs li .name")).stream().map(WebElement::getText))
			.containsExactlyInAnyOrder("red.png", "green.jpg", "blue.gif");
		WebElement failure = browser.findElement(By.cssSelector("#failures li"));
		assertThat(failure.findElement(By.className("name")).getText()).isEqualTo("broken.jpg");
		assertThat(failure.findElement(By.className("reason")).getText()).isEqualTo(
				"The file 'broken.jpg' is not a valid JPEG image.");
		assertThat(failure.findElement(By.className("code")).getText()).isEqualTo("CORRUPT_IMAGE");
		assertThat(browser.findElement(By.id("retry")).isEnabled()).isTrue();
		assertTextContrast();
		screenshot("console-batch");

		browser.findElement(By.id("retry")).sendKeys(Keys.SPACE);
		await().atMost(WAIT)
			.until(() -> text("retry-state").equals("Not retried: None of the batch's failed items can be retried: "
					+ "they would fail the same way again. (HTTP 409, code 1205)"));
		screenshot("console-retry");

		Dimension desktop = browser.manage().window().getSize();
		browser.manage().window().setSize(new Dimension(390, 1200));
		Number overflow = (Number) js("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
		assertThat(overflow.intValue()).as("no sideways scrolling at phone width").isLessThanOrEqualTo(0);
		screenshot("console-phone");
		browser.manage().window().setSize(desktop);

		browser.navigate().refresh();
		awaitBatchShown(batchId);
		assertThat(js("return sessionStorage.length")).as("the key survives a reload of this tab").isEqualTo(1L);

		browser.get(base + "/console");
		await().atMost(WAIT).until(() -> summaryOf(batchId).startsWith("4 item(s), 3 stored, 1 failed, finished"));
		screenshot("console-recent");
		browser.findElement(By.cssSelector("#recent button[data-batch='" + batchId + "']")).click();
		awaitBatchShown(batchId);

		assertThat(js("return JSON.stringify(Object.keys(localStorage))").toString()).doesNotContain(
				intake.settings().apiToken());
		assertThat(js("return JSON.stringify(Object.values(localStorage))").toString()).doesNotContain(
				intake.settings().apiToken());
		List<String> refused = browser.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.map(LogEntry::getMessage)
			.filter(message -> message.contains("Content Security Policy") || message.contains("Refused to"))
			.toList();
		assertThat(refused).as("the page works within its own Content-Security-Policy").isEmpty();
	}

	/**
	 * A folder of 301 images (and a text file) chosen with "Choose a folder": the text file is left
	 * out with a note, the images go as two batches, 300 and 1, under the given id with suffixes.
	 */
	@Test
	@Order(2)
	void aFolderOfMoreThan300ImagesIsSentAsSeveralBatches() throws IOException {
		openConsoleWithKey();
		Path folder = Files.createDirectories(files.resolve("many"));
		for (TestImages.Named image : TestImages.series("console-split", 301)) {
			Files.write(folder.resolve(image.name()), image.bytes());
		}
		Files.writeString(folder.resolve("notes.txt"), "not an image");
		browser.findElement(By.id("pick-folder")).sendKeys(folder.toString());
		await().atMost(WAIT).until(() -> text("selection-summary").startsWith("301 file(s) selected"));
		assertThat(text("selection-summary")).contains("they will be sent as 2 batches of at most 300");
		assertThat(text("skipped")).isEqualTo(
				"Left out 1 file(s) that are neither images nor ZIP archives: many/notes.txt.");
		String batchId = "split-" + Long.toHexString(System.nanoTime());
		browser.findElement(By.id("batch-id")).sendKeys(batchId);
		browser.findElement(By.id("upload")).click();

		await().atMost(WAIT).until(() -> summaryOf(batchId + "-1").startsWith("300 item(s)"));
		await().atMost(WAIT).until(() -> summaryOf(batchId + "-2").startsWith("1 item(s)"));
		await().atMost(WAIT).until(() -> text("batch-title").equals(batchId + "-1") && text("count-total").equals("300"));
	}

	/**
	 * A batch of two images whose first the worker holds stays unfinished: meanwhile its view says
	 * how many items are queued ahead of it (and when it should be done, once the workers have a
	 * recent rate), in words, and the line keeps to the page's contrast.
	 */
	@Test
	@Order(3)
	void anUnfinishedBatchSaysWhereItWaits() throws IOException {
		openConsoleWithKey();
		drop(List.of(write(HELD, TestImages.unique().png(50, 40)), write("after-held.png", TestImages.unique().png(51, 40))));
		await().atMost(WAIT).until(() -> text("selection-summary").startsWith("2 file(s) selected"));
		String batchId = "waiting-" + Long.toHexString(System.nanoTime());
		browser.findElement(By.id("batch-id")).sendKeys(batchId);
		browser.findElement(By.id("upload")).click();

		await().atMost(WAIT).pollInterval(Duration.ofSeconds(3)).until(() -> {
			if (!text("batch-title").equals(batchId)) {
				return false;
			}
			if (browser.findElement(By.id("batch-wait")).isDisplayed()) {
				return true;
			}
			if (text("batch-state").startsWith("Processing")) {
				// events come with changes only, and one may have come before the queue could be
				// read: open the batch afresh, whose first event is read anew
				browser.navigate().refresh();
			}
			return false;
		});
		String state = text("batch-state");
		String waits = text("batch-wait");
		assertThat(state).matches("(Waiting to be processed|Processing): [01] of 2 finished\\.");
		assertThat(waits).matches(WAITS);
		// read in one step: the line is redrawn as events arrive
		Object when = js("const time = document.querySelector('#batch-wait time');"
				+ "return time ? time.getAttribute('datetime') : null;");
		if (when != null) {
			assertThat(Instant.parse(String.valueOf(when))).isAfter(Instant.EPOCH);
		}
		assertThat(browser.findElement(By.id("batch-progress")).getAttribute("aria-describedby")).isEqualTo("batch-wait");
		assertTextContrast();
		screenshot("console-waiting");
	}

	private static void openConsoleWithKey() {
		browser.get("http://127.0.0.1:" + intake.settings().apiPort() + "/console");
		await().atMost(WAIT).until(() -> text("key-state").contains("accepted") || text("key-state").contains("No key"));
		if (text("key-state").contains("No key")) {
			browser.findElement(By.id("api-key")).sendKeys(intake.settings().apiToken(), Keys.ENTER);
			await().atMost(WAIT).until(() -> text("key-state").contains("accepted by the server"));
		}
	}

	/** The recent list's line about a batch, read in one step (the list is redrawn as events arrive). */
	private static String summaryOf(String batchId) {
		Object summary = js("const button = Array.from(document.querySelectorAll('#recent button[data-batch]'))"
				+ ".find(candidate => candidate.getAttribute('data-batch') === arguments[0]);"
				+ "return button ? button.nextElementSibling.textContent : '';", batchId);
		return String.valueOf(summary);
	}

	/** The batch on screen, finished: three loaded thumbnails and one failure. */
	private static void awaitBatchShown(String batchId) {
		await().atMost(WAIT).until(() -> text("batch-title").equals(batchId) && text("batch-state").startsWith("Finished"));
		await().atMost(WAIT)
			.until(() -> (Boolean) js("const images = Array.from(document.querySelectorAll('#thumbs img'));"
					+ "return images.length === 3 && images.every(image => image.complete && image.naturalWidth > 0);"));
		assertThat(browser.findElements(By.cssSelector("#failures li"))).hasSize(1);
	}

	/**
	 * Drops the files on the drop zone as a drag from the desktop would: a file input of the
	 * test's own takes the paths (WebDriver cannot drag from outside the browser), then a
	 * {@code drop} event carries its files to the zone.
	 */
	private static void drop(List<Path> paths) {
		js("const input = document.createElement('input'); input.type = 'file'; input.multiple = true;"
				+ "input.id = 'test-drop-source'; document.body.append(input);");
		browser.findElement(By.id("test-drop-source"))
			.sendKeys(String.join("\n", paths.stream().map(Path::toString).toList()));
		js("const input = document.getElementById('test-drop-source'); const transfer = new DataTransfer();"
				+ "for (const file of input.files) { transfer.items.add(file); }"
				+ "const zone = document.getElementById('drop-zone');"
				+ "zone.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: transfer}));"
				+ "zone.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: transfer}));"
				+ "input.remove();");
	}

	/**
	 * Every visible text on the page meets WCAG AA contrast against the background it is drawn on:
	 * 4.5:1, or 3:1 for large text (24 px, or 18.7 px bold); disabled controls are exempt.
	 */
	private static void assertTextContrast() {
		Object failures = js("""
				const channel = value => { const c = value / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
				const rgba = text => (text.match(/[\\d.]+/g) || []).map(Number);
				const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
				const background = element => {
				  for (let node = element; node; node = node.parentElement) {
				    const color = rgba(getComputedStyle(node).backgroundColor);
				    if (color.length === 3 || (color.length === 4 && color[3] === 1)) { return color; }
				  }
				  return [255, 255, 255];
				};
				const failures = [];
				for (const element of document.querySelectorAll('body *')) {
				  const ownText = Array.from(element.childNodes).some(node => node.nodeType === 3 && node.textContent.trim() !== '');
				  const style = getComputedStyle(element);
				  if (!ownText || element.closest('[hidden], .visually-hidden, :disabled, .skip') || element.offsetParent === null) { continue; }
				  const [l1, l2] = [luminance(rgba(style.color)), luminance(background(element))].sort((a, b) => b - a);
				  const ratio = (l1 + 0.05) / (l2 + 0.05);
				  const size = parseFloat(style.fontSize);
				  const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
				  if (ratio < (large ? 3 : 4.5)) { failures.push(element.tagName + ' "' + element.textContent.trim().slice(0, 40) + '" ' + ratio.toFixed(2)); }
				}
				return failures;
				""");
		assertThat((List<?>) failures).as("texts below WCAG AA contrast").isEmpty();
	}

	/** Every visible form control has a label a screen reader announces. */
	private static void assertEveryFieldIsLabelled() {
		Object unlabelled = js("return Array.from(document.querySelectorAll('input, textarea, select, progress'))"
				+ ".filter(field => field.labels === null || field.labels.length === 0)"
				+ ".filter(field => !field.getAttribute('aria-label') && !field.getAttribute('aria-labelledby'))"
				+ ".map(field => field.id)");
		assertThat((List<?>) unlabelled).isEmpty();
	}

	private static Path write(String name, byte[] bytes) throws IOException {
		return Files.write(files.resolve(name), bytes);
	}

	private static String text(String id) {
		return browser.findElement(By.id(id)).getText();
	}

	private static Object js(String script, Object... arguments) {
		return ((JavascriptExecutor) browser).executeScript(script, arguments);
	}

	private static void screenshot(String name) throws IOException {
		Optional<Path> directory = Optional.ofNullable(System.getProperty("intake.console.screenshots"))
			.filter(value -> !value.isBlank())
			.map(Path::of);
		if (directory.isEmpty()) {
			return;
		}
		Files.createDirectories(directory.get());
		// the whole page, not only the window; the key never shows: the field is emptied once taken
		Map<String, Object> shot = ((ChromeDriver) browser).executeCdpCommand("Page.captureScreenshot",
				Map.of("format", "png", "captureBeyondViewport", true));
		Files.write(directory.get().resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
	}

}
