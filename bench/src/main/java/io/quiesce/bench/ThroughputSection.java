package io.quiesce.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throughput ratio: the plain Vert.x hello server (A) and the same route behind the runtime (B),
 * both running at once as child JVMs with identical flags, measured with wrk alternately
 * A B A B … after one warm-up each. Target: B/A req/s at least 0.97 and p99 within 10 %.
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

  static Section run(Path jar, Path work) throws Exception {
    int portA = ChildJvm.freePort();
    int portB = ChildJvm.freePort();
    List<WrkRun> a = new ArrayList<>();
    List<WrkRun> b = new ArrayList<>();
    try (ChildJvm plain = ChildJvm.start(JVM_FLAGS, List.of("-cp", jar.toString(), "io.quiesce.bench.server.PlainHelloServer",
            Integer.toString(portA)), work.resolve("logs/throughput-plain.log"));
        ChildJvm runtime = ChildJvm.start(JVM_FLAGS, List.of("-cp", jar.toString(), "io.quiesce.bench.server.RuntimeHelloServer",
            "--set", "server.port=" + portB), work.resolve("logs/throughput-runtime.log"))) {
      HttpProbe.awaitOk(portA, "/hello", 20, 1000);
      HttpProbe.awaitOk(portB, "/health/ready", 20, 1000);
      wrk(portA); // warm-up (JIT), not counted
      wrk(portB);
      for (int i = 0; i < ROUNDS; i++) {
        a.add(wrk(portA));
        b.add(wrk(portB));
        System.out.printf("  round %d: plain %.0f req/s p99 %.2f ms %.0f B/req | runtime %.0f req/s p99 %.2f ms %.0f B/req%n",
            i + 1, a.get(i).rps(), a.get(i).p99Ms(), a.get(i).bytesPerRequest(), b.get(i).rps(), b.get(i).p99Ms(), b.get(i).bytesPerRequest());
      }
    }
    double rpsA = Stats.median(a.stream().map(WrkRun::rps).toList());
    double rpsB = Stats.median(b.stream().map(WrkRun::rps).toList());
    double p99A = Stats.median(a.stream().map(WrkRun::p99Ms).toList());
    double p99B = Stats.median(b.stream().map(WrkRun::p99Ms).toList());
    List<Double> roundRatios = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      roundRatios.add(b.get(i).rps() / a.get(i).rps());
    }
    double bytesA = Stats.median(a.stream().map(WrkRun::bytesPerRequest).toList());
    double bytesB = Stats.median(b.stream().map(WrkRun::bytesPerRequest).toList());
    double ratio = rpsB / rpsA;
    double p99Ratio = p99B / p99A;
    boolean met = ratio >= 0.97 && p99Ratio <= 1.10;
    String md = String.format("""
        | server | median req/s | median p99 | per round req/s | per round p99 (ms) | allocated per request (whole JVM) |
        |---|---:|---:|---|---|---:|
        | plain Vert.x Router | %.0f | %.2f ms | %s | %s | %.0f B |
        | behind Quiesce runtime | %.0f | %.2f ms | %s | %s | %.0f B |

        **req/s ratio runtime/plain: %.3f** (target ≥ 0.97 %s; per-round ratios %s) · **p99 ratio: %.2f** (target ≤ 1.10 %s)

        `wrk -t%d -c%d -d%s --latency` per run against `GET /hello`, %d rounds A B A B after one warm-up run each; both servers are child JVMs with `%s`, one HTTP server each on `Vertx.vertx()` defaults, bound to 127.0.0.1. Allocation per request: bytes allocated by all the server's threads during the wrk run (HotSpot's per-thread counters, read through `GET /_bench/allocated` before and after) over the requests wrk completed.
        """, rpsA, p99A, Stats.list(a.stream().map(WrkRun::rps).toList(), 0), Stats.list(a.stream().map(WrkRun::p99Ms).toList(), 2), bytesA,
        rpsB, p99B, Stats.list(b.stream().map(WrkRun::rps).toList(), 0), Stats.list(b.stream().map(WrkRun::p99Ms).toList(), 2), bytesB,
        ratio, ratio >= 0.97 ? "✅" : "❌", Stats.list(roundRatios, 3), p99Ratio, p99Ratio <= 1.10 ? "✅" : "❌",
        WRK_THREADS, CONNECTIONS, DURATION, ROUNDS, String.join(" ", JVM_FLAGS));
    JsonObject summary = new JsonObject()
        .put("plain_rps", Stats.round(rpsA, 0)).put("runtime_rps", Stats.round(rpsB, 0))
        .put("rps_ratio", Stats.round(ratio, 3))
        .put("plain_p99_ms", Stats.round(p99A, 3)).put("runtime_p99_ms", Stats.round(p99B, 3))
        .put("p99_ratio", Stats.round(p99Ratio, 3))
        .put("plain_bytes_per_request", Stats.round(bytesA, 0))
        .put("runtime_bytes_per_request", Stats.round(bytesB, 0))
        .put("targets_met", met);
    return new Section("throughput", "Throughput ratio (wrk)", md, summary);
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
