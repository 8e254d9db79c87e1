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
 * Startup: JVM launch to the first 200 on {@code /health/ready} for the sample emulator (its
 * shaded jar, as the README runs it), next to a plain Vert.x hello server's launch to first 200,
 * under several JVM flag sets, runs interleaved so that noise hits every variant alike. RSS is read
 * from /proc at the moment of the first 200. The README command (sample-emulator/run, with its start-up cache) is the row that counts:
 * target ≤ 300 ms; the others show what each ingredient gives.
 */
final class StartupSection {

  static final int RUNS = 5;
  static final double TARGET_MS = 300;
  static final double TARGET_RATIO = 1.2;
  static final int POLL_MS = 5;
  static final int POLLS = 3000; // 15 s at most

  private static final List<String> CHEAP = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /** A JVM flag set; {@code cds} adds a per-server dynamic AppCDS archive trained under the same flags. */
  record Variant(String name, List<String> flags, boolean cds) {
    /** The README's run command for the sample; the plain server gets C1+SerialGC+AppCDS beside it. */
    boolean readme() {
      return name.equals(README);
    }
  }

  static final String README = "README command";

  static final List<Variant> VARIANTS = List.of(
      new Variant("default", List.of(), false),
      new Variant("C1+SerialGC", CHEAP, false),
      new Variant("AppCDS", List.of(), true),
      new Variant("C1+SerialGC+AppCDS", CHEAP, true),
      new Variant(README, CHEAP, true));

  private StartupSection() {}

  /**
   * @param ms launch to first 200, as the client saw it
   * @param rssKib RSS at that moment
   * @param selfReportedMs the runtime's own "started in N ms" (JVM start time to RUNNING), -1 if none
   */
  record Sample(double ms, long rssKib, double selfReportedMs) {}

  private static final Pattern STARTED_IN = Pattern.compile("started in (\\d+) ms");

  private record Server(String name, String readyPath, Launch launch) {}

  private interface Launch {
    List<String> args(int port);
  }

  static Section run(Path benchJar, Path sampleJar, Path work) throws Exception {
    List<Server> servers = List.of(
        new Server("plain Vert.x hello", "/hello",
            port -> List.of("-cp", benchJar.toString(), "io.quiesce.bench.server.PlainHelloServer", Integer.toString(port))),
        new Server("sample emulator", "/_quiesce/health/ready",
            port -> List.of("-jar", sampleJar.toString(), "--set", "server.port=" + port)));
    Path cdsDir = work.resolve("cds");
    Files.createDirectories(cdsDir);
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    Path script = Path.of("sample-emulator", "run").toAbsolutePath();
    Map<String, String> scriptEnv = Map.of("JAVA_HOME", System.getProperty("java.home"), "SAMPLE_JAR", sampleJar.toString(),
        "SAMPLE_START_CACHE", work.resolve("start-cache").toAbsolutePath().toString());
    readmeCommand = port -> ChildJvm.startCommand(List.of(script.toString(), "--set", "server.port=" + port), scriptEnv,
        work.resolve("logs/startup-readme-" + port + ".log"));
    deleteTree(work.resolve("start-cache"));
    firstStart = true; // makes the start-up cache (a training run: allow a minute), not counted
    once(List.of(), servers.get(1), work, "readme-first-start", true);
    firstStart = false;
    for (Variant v : VARIANTS) {
      for (Server s : servers) {
        samples.put(key(v, s), new ArrayList<>());
        if (v.readme() && s == servers.get(1)) {
          continue;
        }
        if (v.cds() && !v.readme()) {
          train(v, s, archive(cdsDir, v, s), work);
        }
      }
    }
    for (int i = 0; i < RUNS; i++) {
      for (Variant v : VARIANTS) {
        for (Server s : servers) {
          Sample sample = once(flags(v, s, cdsDir), s, work, "startup-" + i, v.readme() && s == servers.get(1));
          samples.get(key(v, s)).add(sample);
        }
      }
      System.out.printf("  startup round %d/%d done%n", i + 1, RUNS);
    }

    StringBuilder md = new StringBuilder("""
        | JVM flags | plain hello: median ms | sample emulator: median ms | ratio | sample's own "started in" (ms) | sample RSS at ready (MiB) | sample runs (ms) | target ≤ %d ms (README row) |
        |---|---:|---:|---:|---:|---:|---|---|
        """.formatted((int) TARGET_MS));
    JsonObject summary = new JsonObject();
    boolean anyMet = false;
    for (Variant v : VARIANTS) {
      List<Sample> plain = samples.get(key(v, servers.get(0)));
      List<Sample> sample = samples.get(key(v, servers.get(1)));
      double plainMs = Stats.median(plain.stream().map(Sample::ms).toList());
      double sampleMs = Stats.median(sample.stream().map(Sample::ms).toList());
      double rssMib = Stats.median(sample.stream().map(x -> x.rssKib() / 1024.0).toList());
      double plainRss = Stats.median(plain.stream().map(x -> x.rssKib() / 1024.0).toList());
      double ratio = sampleMs / plainMs;
      boolean met = sampleMs <= TARGET_MS;
      if (v.readme()) {
        anyMet = met;
        summary.put("readme_command_ms", Stats.round(sampleMs, 1)).put("readme_ratio_to_plain", Stats.round(ratio, 3))
            .put("readme_rss_mib", Stats.round(rssMib, 1));
      }
      double self = Stats.median(sample.stream().map(Sample::selfReportedMs).toList());
      md.append(String.format("| `%s` | %.0f | %.0f | %.2f | %.0f | %.0f (plain %.0f) | %s | %s |%n",
          label(v), plainMs, sampleMs, ratio, self, rssMib, plainRss,
          Stats.list(sample.stream().map(Sample::ms).toList(), 0), met ? "✅" : "❌"));
      String k = v.name().toLowerCase().replaceAll("[^a-z0-9]+", "_");
      summary.put(k + "_plain_ms", Stats.round(plainMs, 1)).put(k + "_sample_ms", Stats.round(sampleMs, 1))
          .put(k + "_ratio", Stats.round(ratio, 3)).put(k + "_sample_rss_mib", Stats.round(rssMib, 1));
    }
    md.append(String.format("""

        Launch (`ProcessBuilder.start`) to the first 200, polled with a raw-socket GET every %d ms; median of %d runs, variants interleaved run by run. AppCDS: one training run per server and flag set with `-XX:ArchiveClassesAtExit=<file>.jsa` (started, made ready, answered one request, SIGTERM), then `-XX:SharedArchiveFile=<file>.jsa`. The sample's own "started in" is what its Ready line says (JVM start time to RUNNING, measured inside the JVM): the rest of the client-side figure is process launch and JVM boot before the JVM records its start. The plain hello server runs from the bench jar (`io.quiesce.bench.server.PlainHelloServer`), the sample emulator as `java -jar sample-emulator/target/sample-emulator-all.jar`; the README row runs `sample-emulator/run` (JAVA_HOME = the JDK running the benchmark; its start-up cache made by one first start before the timed runs, not counted).
        """, POLL_MS, RUNS));
    summary.put("jdk", System.getProperty("java.version")).put("targets_met", anyMet);
    return new Section("startup", "Startup (launch to first 200 on /_quiesce/health/ready)", md.toString(), summary);
  }

  private static String label(Variant v) {
    if (v.readme()) {
      return "README command: sample-emulator/run (plain: C1+SerialGC+AppCDS)";
    }
    List<String> shown = new ArrayList<>(v.flags());
    if (v.cds()) {
      shown.add("-XX:SharedArchiveFile=<trained>.jsa");
    }
    return v.name() + ": " + (shown.isEmpty() ? "(no flags)" : String.join(" ", shown));
  }

  private static String key(Variant v, Server s) {
    return v.name() + "/" + s.name();
  }

  private static Path archive(Path cdsDir, Variant v, Server s) {
    return cdsDir.resolve((v.name() + "-" + s.name()).replaceAll("[^A-Za-z0-9]+", "-") + ".jsa").toAbsolutePath();
  }

  private static List<String> flags(Variant v, Server s, Path cdsDir) {
    List<String> flags = new ArrayList<>(v.flags());
    if (v.cds()) {
      Variant trained = v.readme() ? VARIANTS.get(3) : v; // the plain server beside the README row
      flags.add("-XX:SharedArchiveFile=" + archive(cdsDir, trained, s));
      flags.add("-Xshare:auto");
    }
    return flags;
  }

  private static void train(Variant v, Server s, Path archive, Path work) throws Exception {
    Files.deleteIfExists(archive);
    List<String> flags = new ArrayList<>(v.flags());
    flags.add("-XX:ArchiveClassesAtExit=" + archive);
    once(flags, s, work, "cds-training", false);
    if (!Files.exists(archive)) {
      throw new IllegalStateException("AppCDS training wrote no archive " + archive);
    }
  }

  private interface Command {
    ChildJvm start(int port) throws Exception;
  }

  private static Command readmeCommand;
  private static boolean firstStart;

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static Sample once(List<String> flags, Server s, Path work, String tag, boolean readme) throws Exception {
    int port = ChildJvm.freePort();
    Path log = work.resolve("logs/" + tag + "-" + s.name().replace(' ', '-') + (readme ? "-readme" : "") + ".log");
    try (ChildJvm jvm = readme ? readmeCommand.start(port) : ChildJvm.start(flags, s.launch().args(port), log)) {
      log = jvm.log();
      long ready = HttpProbe.awaitOk(port, s.readyPath(), POLL_MS, firstStart ? 4 * POLLS : POLLS);
      long rss = jvm.rssKib();
      double ms = (ready - jvm.startNanos()) / 1e6;
      jvm.sigterm();
      jvm.awaitExit(60_000);
      Matcher m = STARTED_IN.matcher(Files.readString(log));
      return new Sample(ms, rss, m.find() ? Double.parseDouble(m.group(1)) : -1);
    }
  }
}
