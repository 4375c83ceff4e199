package dev.intake.worker;

public final class MemoryProofImagesAccess {
	public static java.util.List<MemoryProofImages.Named> bombs() { return MemoryProofImages.bombs(); }
}
