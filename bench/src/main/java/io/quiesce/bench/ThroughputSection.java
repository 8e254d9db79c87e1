package io.quiesce.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throughput ratio: the plain Vert.x hello server (A) and the same route behind the runtime (B),
 * plus, for diagnosis only, B with {@code metrics.enabled=false} (C); all running at once as child
 * JVMs with identical flags, measured with wrk alternately A B C A B C … after one warm-up each.
 * Target (B against A): req/s at least 0.97 and p99 within 10 %.
 */
final class ThroughputSection {

  static final int ROUNDS = 7;
  static final String DURATION = "4s";
  static final int CONNECTIONS = 64;
  static final int WRK_THREADS = 2;
  static final List<String> JVM_FLAGS = List.of("-Xms256m", "-Xmx256m");

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern P99 = Pattern.compile("\\s99(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)");
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ");
  private static final Pattern ERRORS = Pattern.compile("(Non-2xx or 3xx responses|Socket errors):.*");

  private ThroughputSection() {}

  /** One wrk run: req/s, p99 latency, and bytes the server JVM allocated per request meanwhile. */
  record WrkRun(double rps, double p99Ms, double bytesPerRequest) {}

  private record Server(String label, String mainClass, List<String> args, String readyPath, int port, List<WrkRun> runs) {
    double median(java.util.function.ToDoubleFunction<WrkRun> f) {
      return Stats.median(runs.stream().map(r -> f.applyAsDouble(r)).toList());
    }

    String list(java.util.function.ToDoubleFunction<WrkRun> f, int digits) {
      return Stats.list(runs.stream().map(r -> f.applyAsDouble(r)).toList(), digits);
    }
  }

  static Section run(Path jar, Path work) throws Exception {
    int portA = ChildJvm.freePort();
    int portB = ChildJvm.freePort();
    int portC = ChildJvm.freePort();
    List<Server> servers = List.of(
        new Server("plain Vert.x Router", "io.quiesce.bench.server.PlainHelloServer", List.of(Integer.toString(portA)), "/hello", portA, new ArrayList<>()),
        new Server("behind Quiesce runtime (defaults)", "io.quiesce.bench.server.RuntimeHelloServer",
            List.of("--set", "server.port=" + portB), "/_quiesce/health/ready", portB, new ArrayList<>()),
        new Server("diagnosis: runtime with `metrics.enabled=false`", "io.quiesce.bench.server.RuntimeHelloServer",
            List.of("--set", "server.port=" + portC, "--set", "metrics.enabled=false"), "/_quiesce/health/ready", portC, new ArrayList<>()));
    List<ChildJvm> jvms = new ArrayList<>();
    try {
      for (int i = 0; i < servers.size(); i++) {
        Server s = servers.get(i);
        List<String> launch = new ArrayList<>(List.of("-cp", jar.toString(), s.mainClass()));
        launch.addAll(s.args());
        jvms.add(ChildJvm.start(JVM_FLAGS, launch, work.resolve("logs/throughput-" + i + ".log")));
      }
      for (Server s : servers) {
        HttpProbe.awaitOk(s.port(), s.readyPath(), 20, 1000);
      }
      for (Server s : servers) {
        wrk(s.port()); // warm-up (JIT), not counted
      }
      for (int i = 0; i < ROUNDS; i++) {
        StringBuilder line = new StringBuilder("  round " + (i + 1) + ":");
        for (Server s : servers) {
          WrkRun r = wrk(s.port());
          s.runs().add(r);
          line.append(String.format(" | %.0f req/s p99 %.2f ms %.0f B/req", r.rps(), r.p99Ms(), r.bytesPerRequest()));
        }
        System.out.println(line);
      }
    } finally {
      jvms.forEach(ChildJvm::close);
    }
    Server a = servers.get(0);
    Server b = servers.get(1);
    Server c = servers.get(2);
    double ratio = b.median(WrkRun::rps) / a.median(WrkRun::rps);
    double p99Ratio = b.median(WrkRun::p99Ms) / a.median(WrkRun::p99Ms);
    double ratioC = c.median(WrkRun::rps) / a.median(WrkRun::rps);
    List<Double> roundRatios = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      roundRatios.add(b.runs().get(i).rps() / a.runs().get(i).rps());
    }
    boolean met = ratio >= 0.97 && p99Ratio <= 1.10;
    StringBuilder md = new StringBuilder("""
        | server | median req/s | median p99 | per round req/s | per round p99 (ms) | allocated per request (whole JVM) |
        |---|---:|---:|---|---|---:|
        """);
    for (Server s : servers) {
      md.append(String.format("| %s | %.0f | %.2f ms | %s | %s | %.0f B |%n", s.label(), s.median(WrkRun::rps), s.median(WrkRun::p99Ms),
          s.list(WrkRun::rps, 0), s.list(WrkRun::p99Ms, 2), s.median(WrkRun::bytesPerRequest)));
    }
    md.append(String.format("""

        **req/s ratio runtime/plain: %.3f** (target ≥ 0.97 %s; per-round ratios %s) · **p99 ratio: %.2f** (target ≤ 1.10 %s) · with `metrics.enabled=false`: req/s ratio %.3f (diagnosis, no target)

        `wrk -t%d -c%d -d%s --latency` per run against `GET /hello`, %d rounds A B C A B C after one warm-up run each; all servers are child JVMs with `%s`, one HTTP server each on Vert.x defaults, bound to 127.0.0.1. Allocation per request: bytes allocated by all the server's threads during the wrk run (HotSpot's per-thread counters, read through `GET /_bench/allocated` before and after) over the requests wrk completed.
        """, ratio, ratio >= 0.97 ? "✅" : "❌", Stats.list(roundRatios, 3), p99Ratio, p99Ratio <= 1.10 ? "✅" : "❌", ratioC,
        WRK_THREADS, CONNECTIONS, DURATION, ROUNDS, String.join(" ", JVM_FLAGS)));
    JsonObject summary = new JsonObject()
        .put("plain_rps", Stats.round(a.median(WrkRun::rps), 0)).put("runtime_rps", Stats.round(b.median(WrkRun::rps), 0))
        .put("rps_ratio", Stats.round(ratio, 3))
        .put("plain_p99_ms", Stats.round(a.median(WrkRun::p99Ms), 3)).put("runtime_p99_ms", Stats.round(b.median(WrkRun::p99Ms), 3))
        .put("p99_ratio", Stats.round(p99Ratio, 3))
        .put("plain_bytes_per_request", Stats.round(a.median(WrkRun::bytesPerRequest), 0))
        .put("runtime_bytes_per_request", Stats.round(b.median(WrkRun::bytesPerRequest), 0))
        .put("runtime_no_metrics_rps_ratio", Stats.round(ratioC, 3))
        .put("runtime_no_metrics_bytes_per_request", Stats.round(c.median(WrkRun::bytesPerRequest), 0))
        .put("targets_met", met);
    return new Section("throughput", "Throughput ratio (wrk)", md.toString(), summary);
  }

  private static WrkRun wrk(int port) throws Exception {
    long allocatedBefore = allocated(port);
    String out = Proc.run(List.of("wrk", "-t" + WRK_THREADS, "-c" + CONNECTIONS, "-d" + DURATION, "--latency",
        "http://127.0.0.1:" + port + "/hello"), 60);
    Matcher rps = RPS.matcher(out);
    Matcher p99 = P99.matcher(out);
    Matcher errors = ERRORS.matcher(out);
    Matcher requests = REQUESTS.matcher(out);
    long allocatedAfter = allocated(port);
    if (!rps.find() || !p99.find() || !requests.find()) {
      throw new IllegalStateException("cannot read wrk output:\n" + out);
    }
    if (errors.find()) {
      throw new IllegalStateException("wrk saw errors (" + errors.group() + "):\n" + out);
    }
    double p = Double.parseDouble(p99.group(1));
    double ms = switch (p99.group(2)) {
      case "us" -> p / 1000;
      case "s" -> p * 1000;
      default -> p;
    };
    double perRequest = (allocatedAfter - allocatedBefore) / (double) Long.parseLong(requests.group(1));
    return new WrkRun(Double.parseDouble(rps.group(1)), ms, perRequest);
  }

  private static long allocated(int port) {
    HttpProbe.Reply r = HttpProbe.get(port, "/_bench/allocated", 5000);
    if (r.status() != 200) {
      throw new IllegalStateException("GET /_bench/allocated answered " + r);
    }
    return Long.parseLong(r.body().trim());
  }
}
