package io.quiesce.sample;

/** The main class of the jar {@link StartCacheFallbackTest} runs through sample-emulator/run: says it started, exits 0. */
public final class StartCacheProbe {

  private StartCacheProbe() {}

  public static void main(String[] args) {
    System.out.println("probe started");
  }
}
