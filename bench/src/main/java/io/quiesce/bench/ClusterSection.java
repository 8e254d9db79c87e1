package io.quiesce.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Clustered start-up ({@code cluster.enabled}): launch to the first 200 on
 * {@code /_quiesce/health/ready} of the sample emulator, and launch until the members list each
 * other in {@code /_quiesce/lifecycle/services} (events flow between them), in five scenarios run
 * interleaved: one not clustered (the reference), one alone with its listed member absent, two not
 * clustered launched together (the reference for the next: two JVMs share the CPU), two clustered
 * launched together listing each other, and one joining a member already running and joined. Each
 * member is started the way a user starts one, with the README's command ({@code sample-emulator/run}:
 * C1, serial GC, the start-up cache its first start made) and the cluster's {@code --set} options,
 * on 127.0.0.1. Targets: ready within 1.5 s when the listed members are up, within 2 s when they
 * are not.
 */
final class ClusterSection {

  static final int RUNS = 5;
  static final double TARGET_UP_MS = 1500;
  static final double TARGET_ABSENT_MS = 2000;
  static final int POLL_MS = 5;
  static final int POLLS = 6000; // 30 s at most

  /** One scenario's run: launch to ready, and launch to seeing the other member (-1 where there is none). */
  record Sample(double readyMs, double discoveredMs) {}

  static final String ONE = "one, not clustered";
  static final String ALONE = "one, clustered, listed member absent";
  static final String TWO_LOCAL = "two, not clustered, launched together";
  static final String TWO = "two, clustered, launched together listing each other";
  static final String JOINING = "one, clustered, joining a running member";

  private ClusterSection() {}

  static Section run(Path sampleJar, Path work) throws Exception {
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    List<String> scenarios = List.of(ONE, ALONE, TWO_LOCAL, TWO, JOINING);
    scenarios.forEach(s -> samples.put(s, new ArrayList<>()));
    ReadmeCommand command = ReadmeCommand.withCache(sampleJar, work.resolve(StartupSection.CACHE_DIR));
    makeCache(command, work);
    once(command, work, "warm-up", TWO); // the page cache holds the jar and the cache for every counted run
    for (int i = 0; i < RUNS; i++) {
      for (String scenario : scenarios) {
        samples.get(scenario).add(once(command, work, "cluster-" + i, scenario));
      }
      System.out.printf("  cluster round %d/%d done%n", i + 1, RUNS);
    }

    StringBuilder md = new StringBuilder("""
        | scenario | launch → ready: median ms | runs (ms) | launch → the other member listed: median ms | runs (ms) | target |
        |---|---:|---|---:|---|---|
        """);
    JsonObject summary = new JsonObject();
    boolean met = true;
    for (String scenario : scenarios) {
      List<Double> ready = samples.get(scenario).stream().map(Sample::readyMs).toList();
      List<Double> discovered = samples.get(scenario).stream().map(Sample::discoveredMs).filter(d -> d >= 0).toList();
      double readyMs = Stats.median(ready);
      String target;
      if (scenario.equals(ONE) || scenario.equals(TWO_LOCAL)) {
        target = "reference";
      } else {
        double limit = scenario.equals(ALONE) ? TARGET_ABSENT_MS : TARGET_UP_MS;
        boolean ok = readyMs <= limit;
        met &= ok;
        target = "ready ≤ " + (int) limit + " ms " + (ok ? "✅" : "❌");
      }
      md.append(String.format("| %s | %.0f | %s | %s | %s | %s |%n", scenario, readyMs, Stats.list(ready, 0),
          discovered.isEmpty() ? "—" : String.format("%.0f", Stats.median(discovered)),
          discovered.isEmpty() ? "—" : Stats.list(discovered, 0), target));
      String k = scenario.replaceAll("[^a-z0-9]+", "_");
      summary.put(k + "_ready_ms", Stats.round(readyMs, 1));
      if (!discovered.isEmpty()) {
        summary.put(k + "_discovered_ms", Stats.round(Stats.median(discovered), 1));
      }
    }
    md.append(String.format("""

        Launch (`ProcessBuilder.start`) of the README command `sample-emulator/run --set server.port=<free> --set cluster.enabled=true --set cluster.port=<free> --set cluster.members=127.0.0.1:<the other's>` (`JAVA_HOME` = the benchmark's JDK, `JAVA_OPTS` empty; its start-up cache made by a first start, not clustered, as a user's first start makes it, or the start-up round's) to its first 200 on `/_quiesce/health/ready` (raw-socket GET every %d ms), and to the first answer of its `/_quiesce/lifecycle/services` that lists the other member as up (events reach it over the cluster); median of %d runs, scenarios interleaved run by run, after one uncounted warm-up. "Two ... launched together": both started at the same moment, the figures are the later of the two. "Joining a running member": the other member started, ready and joined to its (one-member) cluster beforehand (not counted), so that its own start-up does not share the CPU with the measured one. The cluster is joined in the background once the emulator is running, so readiness does not wait for it; "listed" includes Hazelcast's join (or the merge of two members that each formed a cluster alone) and one discovery poll.
        """, POLL_MS, RUNS));
    summary.put("targets_met", met);
    return new Section("cluster", "Clustered start-up (cluster.enabled)", md.toString(), summary);
  }

  /** The README command's first start: it makes the start-up cache unless the start-up section's is current. */
  private static void makeCache(ReadmeCommand command, Path work) throws Exception {
    int port = ChildJvm.freePort();
    try (ChildJvm first = command.start(List.of("--set", "server.port=" + port), work.resolve("logs/cluster-first-start.log"))) {
      HttpProbe.awaitOk(port, "/_quiesce/health/ready", POLL_MS, 4 * POLLS);
    }
  }

  private static Sample once(ReadmeCommand command, Path work, String tag, String scenario) throws Exception {
    int http1 = ChildJvm.freePort();
    int http2 = ChildJvm.freePort();
    int cluster1 = ChildJvm.freePort();
    int cluster2 = ChildJvm.freePort();
    String name = tag + "-" + scenario.replaceAll("[^a-z0-9]+", "-");
    switch (scenario) {
      case ONE -> {
        try (ChildJvm a = start(command, work, name, http1, List.of())) {
          return new Sample(ready(a, http1), -1);
        }
      }
      case ALONE -> {
        try (ChildJvm a = start(command, work, name, http1, clustered(cluster1, cluster2))) {
          return new Sample(ready(a, http1), -1);
        }
      }
      case TWO_LOCAL -> {
        try (ChildJvm a = start(command, work, name + "-a", http1, List.of());
            ChildJvm b = start(command, work, name + "-b", http2, List.of())) {
          return new Sample(Math.max(ready(a, http1), ready(b, http2)), -1);
        }
      }
      case TWO -> {
        try (ChildJvm a = start(command, work, name + "-a", http1, clustered(cluster1, cluster2));
            ChildJvm b = start(command, work, name + "-b", http2, clustered(cluster2, cluster1))) {
          double ready = Math.max(ready(a, http1), ready(b, http2));
          double seen = Math.max(discovered(a, http1, http2), discovered(b, http2, http1));
          return new Sample(ready, seen);
        }
      }
      case JOINING -> {
        try (ChildJvm running = start(command, work, name + "-running", http2, clustered(cluster2, cluster1))) {
          ready(running, http2);
          awaitLine(running, "Joined the event cluster");
          // Its HTTP port is picked only now: the running member's attempts to reach the absent one
          // take ephemeral local ports, and one picked earlier may since have become one of them
          // (seen once: "address already in use", and a poll connected to that socket hung).
          int joiningPort = ChildJvm.freePort();
          try (ChildJvm b = start(command, work, name, joiningPort, clustered(cluster1, cluster2))) {
            return new Sample(ready(b, joiningPort), discovered(b, joiningPort, http2));
          }
        }
      }
      default -> throw new IllegalArgumentException(scenario);
    }
  }

  /** Waits until {@code jvm}'s log has a line containing {@code text}. */
  private static void awaitLine(ChildJvm jvm, String text) throws Exception {
    for (int i = 0; i < POLLS; i++) {
      if (java.nio.file.Files.readString(jvm.log()).contains(text)) {
        return;
      }
      Thread.sleep(POLL_MS); // a polling interval, bounded in count: the log is another process's file
    }
    throw new IllegalStateException("no \"" + text + "\" in " + jvm.log());
  }

  private static List<String> clustered(int port, int other) {
    return List.of("--set", "cluster.enabled=true", "--set", "cluster.port=" + port,
        "--set", "cluster.members=127.0.0.1:" + other);
  }

  private static ChildJvm start(ReadmeCommand command, Path work, String name, int httpPort, List<String> more)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("--set", "server.port=" + httpPort));
    args.addAll(more);
    return command.start(args, work.resolve("logs/" + name + ".log"));
  }

  private static double ready(ChildJvm jvm, int port) throws InterruptedException {
    return (HttpProbe.awaitOk(port, "/_quiesce/health/ready", POLL_MS, POLLS) - jvm.startNanos()) / 1e6;
  }

  /** Launch to the first answer of {@code port}'s services view that lists {@code otherPort}'s emulator as up. */
  private static double discovered(ChildJvm jvm, int port, int otherPort) throws InterruptedException {
    for (int i = 0; i < POLLS; i++) {
      HttpProbe.Reply r = HttpProbe.get(port, "/_quiesce/lifecycle/services", 2000);
      if (r.status() == 200 && lists(r.body(), otherPort)) {
        return (System.nanoTime() - jvm.startNanos()) / 1e6;
      }
      Thread.sleep(POLL_MS); // a polling interval, bounded in count: no event to wait on across processes
    }
    throw new IllegalStateException("port " + port + " never listed the member on " + otherPort + "; log " + jvm.log());
  }

  private static boolean lists(String body, int otherPort) {
    JsonArray services = new JsonObject(body).getJsonArray("services");
    return services.stream().map(JsonObject.class::cast).anyMatch(s -> "up".equals(s.getString("status"))
        && String.valueOf(s.getString("http_endpoint")).endsWith(":" + otherPort));
  }
}
