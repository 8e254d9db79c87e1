package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.InProcessEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Old content or new, never a mix": GETs racing PUTs of the same key (two sizes, so a mixed read
 * shows in length as well as in bytes), with a data directory. Every 200 must carry a body whose
 * MD5 is its ETag and whose length is its Content-Length; a 500 is a failure too.
 */
class TornReadTest {

  private static final int ROUNDS = 400;
  private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(40);

  @Test
  void everyGetRacingAPutReturnsOneWholeVersion(@TempDir Path dir) throws Exception {
    try (InProcessEmulator emulator = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir)
        .startInProcess()) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String base = "http://127.0.0.1:" + emulator.port() + "/race";
      http.send(HttpRequest.newBuilder(URI.create(base)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.discarding());
      byte[][] versions = {filled(100, 'a'), filled(3001, 'b'), filled(70_000, 'c')};
      put(http, base + "/k", versions[0]);

      long until = System.nanoTime() + LIMIT_NANOS;
      AtomicInteger gets = new AtomicInteger();
      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      List<CompletableFuture<Void>> loops = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int writer = w;
        loops.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < ROUNDS && System.nanoTime() < until && problems.isEmpty(); i++) {
            put(http, base + "/k", versions[(i + writer) % versions.length]);
          }
        }));
      }
      for (int r = 0; r < 2; r++) {
        loops.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < ROUNDS * 2 && System.nanoTime() < until && problems.isEmpty(); i++) {
            HttpResponse<byte[]> got = get(http, base + "/k");
            gets.incrementAndGet();
            if (got.statusCode() != 200) {
              problems.add("status " + got.statusCode() + ": " + new String(got.body()));
              continue;
            }
            String etag = got.headers().firstValue("ETag").orElse("");
            String md5 = "\"" + md5Hex(got.body()) + "\"";
            long length = got.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (!etag.equals(md5) || length != got.body().length) {
              problems.add("ETag " + etag + ", Content-Length " + length + " but " + got.body().length + " bytes hashing to " + md5);
            }
          }
        }));
      }
      CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      assertThat(problems).as("torn or failed reads out of %d GETs", gets.get()).isEmpty();
      assertThat(gets.get()).isGreaterThan(100);
    }
  }

  private static byte[] filled(int size, char c) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (c + i % 7);
    }
    return b;
  }

  private static void put(HttpClient http, String url, byte[] body) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<byte[]> get(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String md5Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
