package io.quiesce.process;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The end of a log file, read backwards so that a large log costs no more than its last lines. */
public final class LogTail {

  private static final int CHUNK = 8192;

  private LogTail() {}

  /** The last {@code n} lines of {@code file} (fewer if it has fewer). */
  public static List<String> lastLines(Path file, int n) throws IOException {
    return lastLines(file, n, Files.size(file));
  }

  /** The last {@code n} lines of the first {@code end} bytes of {@code file}. */
  public static List<String> lastLines(Path file, int n, long end) throws IOException {
    if (n <= 0) {
      return List.of();
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long pos = end;
      int newlines = 0;
      // Find the start of the n-th line from the end; a final newline does not start a line.
      long start = 0;
      byte[] buf = new byte[CHUNK];
      outer:
      while (pos > 0) {
        int len = (int) Math.min(CHUNK, pos);
        pos -= len;
        raf.seek(pos);
        raf.readFully(buf, 0, len);
        for (int i = len - 1; i >= 0; i--) {
          if (buf[i] == '\n' && pos + i != end - 1 && ++newlines == n) {
            start = pos + i + 1;
            break outer;
          }
        }
      }
      byte[] tail = new byte[(int) (end - start)];
      raf.seek(start);
      raf.readFully(tail);
      return new String(tail, StandardCharsets.UTF_8).lines().toList();
    }
  }

  /**
   * Prints what is appended to {@code file} from byte {@code from} on, until the thread is
   * interrupted or the process ends. A file that shrinks (truncated, or replaced by rotation) is
   * read again from its start.
   */
  public static void follow(Path file, long from, PrintStream out) throws IOException, InterruptedException {
    long pos = from;
    while (!Thread.currentThread().isInterrupted()) {
      long size = Files.exists(file) ? Files.size(file) : 0;
      if (size < pos) {
        pos = 0;
      }
      if (size > pos) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
          raf.seek(pos);
          byte[] buf = new byte[(int) Math.min(size - pos, 1 << 20)];
          raf.readFully(buf);
          pos += buf.length;
          out.write(buf);
          out.flush();
        }
      } else {
        Thread.sleep(200); // a log file offers no portable change notification worth its complexity
      }
    }
  }
}
