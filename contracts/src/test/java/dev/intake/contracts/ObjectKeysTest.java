package dev.intake.contracts;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectKeysTest {

	private static final String SHA256 = "a".repeat(64);

	@Test
	void keysIntakeWritesArePublicImages() {
		assertThat(ObjectKeys.isPublicImage(ObjectKeys.original("acme", SHA256, ImageFormat.TIFF))).isTrue();
		assertThat(ObjectKeys.isPublicImage(ObjectKeys.rendition("acme", SHA256, "thumb", "webp"))).isTrue();
		assertThat(ObjectKeys.isPublicImage(ObjectKeys.rendition("t".repeat(64), SHA256, "x".repeat(32), "jpg")))
			.isTrue();
	}

	@Test
	void keysIntakeCouldNeverHaveWrittenAreNot() {
		assertThat(ObjectKeys.isPublicImage("images/local/" + "a".repeat(1100))).isFalse();
		assertThat(ObjectKeys.isPublicImage("images/local/" + "a".repeat(300) + "/b.png")).isFalse();
		assertThat(ObjectKeys.isPublicImage("images/local/" + SHA256 + "/" + "a".repeat(129))).isFalse();
		assertThat(ObjectKeys.isPublicImage("images/" + "t".repeat(65) + "/" + SHA256 + ".png")).isFalse();
		assertThat(ObjectKeys.isPublicImage("images/local/a/b/c.png")).isFalse();
		assertThat(ObjectKeys.isPublicImage("images/local")).isFalse();
		assertThat(ObjectKeys.isPublicImage("images/local/")).isFalse();
		assertThat(ObjectKeys.isPublicImage("images/local/x.png/")).isFalse();
		assertThat(ObjectKeys.isPublicImage("images/local//x.png")).isFalse();
		assertThat(ObjectKeys.isPublicImage("images/local/../x.png")).isFalse();
		assertThat(ObjectKeys.isPublicImage("images/local/..")).isFalse();
		assertThat(ObjectKeys.isPublicImage("images/local/a b.png")).isFalse();
		assertThat(ObjectKeys.isPublicImage("images/local/a\u00e9.png")).isFalse();
		assertThat(ObjectKeys.isPublicImage("staging/local/u/0")).isFalse();
		assertThat(ObjectKeys.isPublicImage("batches/local/b.json")).isFalse();
	}

	@Test
	void uploadsAreFiledUnderTheirHourAndNeverPublic() {
		String key = ObjectKeys.upload(Instant.parse("2026-12-06T17:59:59Z"), "acme", "u-1", 3);
		assertThat(key).isEqualTo("uploads/2026120617/acme/u-1/3");
		assertThat(key).startsWith(ObjectKeys.uploadHour(Instant.parse("2026-12-06T17:00:00Z")));
		assertThat(ObjectKeys.uploadTenant(key)).isEqualTo("acme");
		assertThat(ObjectKeys.uploadTenant("uploads/2026120617/acme/u-1")).isNull();
		assertThat(ObjectKeys.uploadTenant("staging/acme/u-1/3")).isNull();
		assertThat(ObjectKeys.isPublicImage(key)).isFalse();
		assertThat(ObjectKeys.isPublicDocument(key)).isFalse();
	}

	@Test
	void fileServiceKeysAreVaultKeysAndNoOthers() {
		String handle = "73e78929-1e07-4cc5-a738-b54470a7dc8c";
		assertThat(ObjectKeys.isVault(ObjectKeys.vaultFile("acme", "private", handle, "png"))).isTrue();
		assertThat(ObjectKeys.isVault(ObjectKeys.vaultRendition("acme", "public", handle, "thumb", "jpg"))).isTrue();
		assertThat(ObjectKeys.isVault(ObjectKeys.vaultImage("acme", handle))).isTrue();
		assertThat(ObjectKeys.isVault(ObjectKeys.vaultNamespace("acme", SHA256))).isTrue();
		assertThat(ObjectKeys.isVault(ObjectKeys.original("acme", SHA256, ImageFormat.PNG))).isFalse();
		assertThat(ObjectKeys.isVault(ObjectKeys.rendition("acme", SHA256, "vault", "png"))).isFalse();
		assertThat(ObjectKeys.isVault("vaulted/acme/x.png")).isFalse();
		assertThat(ObjectKeys.isVault(null)).isFalse();
	}

	@Test
	void fileServiceVersionsAreNeverPublicImagesOrDocuments() {
		String handle = "73e78929-1e07-4cc5-a738-b54470a7dc8c";
		for (String acl : new String[] { "private", "public" }) {
			String key = ObjectKeys.vaultFile("acme", acl, handle, "png");
			assertThat(key).isEqualTo("vault/acme/" + acl + "/" + handle + ".png");
			assertThat(ObjectKeys.isPublicImage(key)).isFalse();
			assertThat(ObjectKeys.isPublicDocument(key)).isFalse();
		}
		assertThat(ObjectKeys.vaultFile("acme", "private", handle, "")).isEqualTo("vault/acme/private/" + handle);
		assertThat(ObjectKeys.isPublicDocument(ObjectKeys.vaultNamespace("acme", SHA256) + "x.json")).isFalse();
	}

}
