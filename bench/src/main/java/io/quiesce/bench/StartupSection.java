package io.quiesce.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up: launch to the first 200, runs interleaved so that noise hits every variant alike, RSS
 * read from /proc at that moment. The row that counts is the README's command,
 * {@code sample-emulator/run} (its start-up cache made by one first start, not counted): target
 * ≤ 300 ms and ≤ 100 MiB. Beside it in the same run: a plain Vert.x hello server started the same
 * way (C1, serial GC, its own start-up cache for this JDK), and the sample as plain
 * {@code java -jar} (no flags, no cache), what the script saves.
 */
final class StartupSection {

  static final int RUNS = 7;
  static final double TARGET_MS = 300;
  static final double TARGET_RSS_MIB = 100;
  static final int POLL_MS = 5;
  static final int POLLS = 6000; // 30 s at most
  /** Under the run's work directory: the README command's start-up cache, also used by the cluster section. */
  static final String CACHE_DIR = "start-cache";

  /** The README script's JVM flags, which the plain server gets too (the children run this JDK). */
  private static final List<String> CHEAP = cheapFlags(Runtime.version().feature());
  private static List<String> cheapFlags(int jdk) {
    List<String> flags = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    flags.addAll(ChildJvm.unsafeMemoryAccess(jdk));
    if (jdk >= 17 && jdk <= 25) {
      flags.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0"));
    }
    if (jdk >= 17 && jdk <= 24 && Runtime.getRuntime().availableProcessors() <= 2) {
      flags.add("-XX:CICompilerCount=1"); // as sample-emulator/run does
    }
    return List.copyOf(flags);
  }

  private static final Pattern STARTED_IN = Pattern.compile("started in (\\d+) ms");

  /**
   * @param ms launch to first 200, as the client saw it
   * @param rssKib RSS at that moment
   * @param selfReportedMs the runtime's own "started in N ms" (JVM start time to RUNNING), -1 if none
   */
  record Sample(double ms, long rssKib, double selfReportedMs) {}

  /** One way of starting a server: what to launch on a port, and the path that answers 200 when ready. */
  private record Variant(String label, String key, String readyPath, Launch launch) {}

  private interface Launch {
    ChildJvm start(int port, Path log) throws Exception;
  }

  private StartupSection() {}

  static Section run(Path benchJar, Path sampleJar, Path work) throws Exception {
    boolean aot = Runtime.version().feature() >= 25;
    Path caches = work.resolve(CACHE_DIR);
    ReadmeCommand command = ReadmeCommand.withFreshCache(sampleJar, caches);
    List<String> plainLaunch = List.of("-cp", benchJar.toString(), "io.quiesce.bench.server.PlainHelloServer");
    Path plainCache = caches.resolve("plain-hello." + (aot ? "aot" : "jsa")).toAbsolutePath();

    Variant readme = new Variant("README command: `sample-emulator/run`", "readme_command", "/_quiesce/health/ready",
        (port, log) -> command.start(List.of("--set", "server.port=" + port), log));
    Variant plain = new Variant("plain Vert.x hello, the same way: " + String.join(" ", CHEAP) + ", " + (aot ? "AOT cache" : "AppCDS archive"),
        "plain", "/hello", (port, log) -> ChildJvm.start(with(CHEAP, useCache(aot, plainCache)), with(plainLaunch, List.of(
            Integer.toString(port))), log));
    Variant jar = new Variant("sample as `java -jar sample-emulator-all.jar` (no flags, no cache)", "plain_java_jar",
        "/_quiesce/health/ready", (port, log) -> ChildJvm.start(List.of(), List.of("-jar", sampleJar.toString(), "--set",
            "server.port=" + port), log));
    List<Variant> variants = List.of(readme, plain, jar);

    // Not counted: the README command's first start makes its cache; the plain server gets one trained the same way.
    once(readme, work, "startup-first-start");
    once(new Variant("", "", "/hello", (port, log) -> ChildJvm.start(with(CHEAP, List.of(aot
        ? "-XX:AOTCacheOutput=" + plainCache : "-XX:ArchiveClassesAtExit=" + plainCache)), with(plainLaunch,
        List.of(Integer.toString(port))), log)), work, "startup-plain-training");
    if (!Files.exists(plainCache)) {
      throw new IllegalStateException("the plain server's training wrote no cache " + plainCache);
    }
    // Not counted either: one round of every variant, so that the benchmark's own JVM has compiled
    // its polling and launching code before the timed rounds (its compiler threads would otherwise
    // share the two cores with the first timed starts).
    for (Variant v : variants) {
      once(v, work, "startup-warm-up");
    }
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    variants.forEach(v -> samples.put(v.key(), new ArrayList<>()));
    for (int i = 0; i < RUNS; i++) {
      for (Variant v : variants) {
        samples.get(v.key()).add(once(v, work, "startup-" + i));
      }
      System.out.printf("  startup round %d/%d done (load average %s)%n", i + 1, RUNS, Machine.loadAverage());
    }

    double readmeMs = median(samples.get(readme.key()), Sample::ms);
    double plainMs = median(samples.get(plain.key()), Sample::ms);
    double readmeRss = median(samples.get(readme.key()), s -> s.rssKib() / 1024.0);
    boolean met = readmeMs <= TARGET_MS && readmeRss <= TARGET_RSS_MIB;
    StringBuilder md = new StringBuilder(String.format("""
        **README command: %.0f ms** to ready (target ≤ %.0f ms %s), **RSS %.0f MiB** (target ≤ %.0f MiB %s) · plain Vert.x hello started the same way: %.0f ms · ratio %.2f · JDK %s, so the cache is %s

        | how | median ms to first 200 | runs (ms) | own "started in" (ms) | RSS at ready (MiB) |
        |---|---:|---|---:|---:|
        """, readmeMs, TARGET_MS, readmeMs <= TARGET_MS ? "✅" : "❌", readmeRss, TARGET_RSS_MIB,
        readmeRss <= TARGET_RSS_MIB ? "✅" : "❌", plainMs, readmeMs / plainMs, System.getProperty("java.version"),
        aot ? "an AOT cache (JDK 25+)" : "an AppCDS archive (JDK 17-24)"));
    JsonObject summary = new JsonObject().put("jdk", System.getProperty("java.version")).put("cache", aot ? "aot" : "appcds");
    for (Variant v : variants) {
      List<Sample> s = samples.get(v.key());
      double self = median(s, Sample::selfReportedMs);
      md.append(String.format("| %s | %.0f | %s | %s | %.0f |%n", v.label(), median(s, Sample::ms),
          Stats.list(s.stream().map(Sample::ms).toList(), 0), self < 0 ? "—" : String.format("%.0f", self),
          median(s, x -> x.rssKib() / 1024.0)));
      summary.put(v.key() + "_ms", Stats.round(median(s, Sample::ms), 1))
          .put(v.key() + "_rss_mib", Stats.round(median(s, x -> x.rssKib() / 1024.0), 1));
    }
    summary.put("readme_ratio_to_plain", Stats.round(readmeMs / plainMs, 3)).put("targets_met", met);
    md.append(String.format("""

        Launch (`ProcessBuilder.start`) to the first 200 on the readiness route (`/_quiesce/health/ready`; the plain server's `/hello`), polled with a raw-socket GET every %d ms; median of %d runs, the three interleaved run by run. The README command runs the script as a user would (`JAVA_HOME` = the JDK running the benchmark, `JAVA_OPTS` empty), so its own work before the JVM starts is included; its start-up cache was made by one first start before the timed runs (not counted). The plain server's cache was trained the same way: one run under the same flags, ready, SIGTERM. Then one untimed round of all three, so that the benchmark's own JVM has compiled its polling code. "Started in" is what the sample's Ready line says (JVM start time to RUNNING, measured inside the JVM): the rest is process launch and JVM boot before the JVM records its start time, plus the first poll.
        """, POLL_MS, RUNS));
    return new Section("startup", "Start-up (launch to first 200 on the readiness route)", md.toString(), summary);
  }

  private static List<String> useCache(boolean aot, Path cache) {
    return List.of(aot ? "-XX:AOTCache=" + cache : "-XX:SharedArchiveFile=" + cache);
  }

  private static List<String> with(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
    return Stats.median(samples.stream().map(s -> f.applyAsDouble(s)).toList());
  }

  private static Sample once(Variant v, Path work, String tag) throws Exception {
    int port = ChildJvm.freePort();
    Path log = work.resolve("logs/" + tag + "-" + v.key() + ".log");
    try (ChildJvm jvm = v.launch().start(port, log)) {
      long ready = HttpProbe.awaitOk(port, v.readyPath(), POLL_MS, tag.endsWith("first-start") ? 4 * POLLS : POLLS);
      long rss = jvm.rssKib();
      double ms = (ready - jvm.startNanos()) / 1e6;
      jvm.sigterm();
      jvm.awaitExit(180_000); // a training run writes its cache as it exits
      Matcher m = STARTED_IN.matcher(Files.readString(jvm.log()));
      return new Sample(ms, rss, m.find() ? Double.parseDouble(m.group(1)) : -1);
    }
  }
}
