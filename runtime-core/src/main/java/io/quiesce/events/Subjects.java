package io.quiesce.events;

import java.util.regex.Pattern;

/**
 * The subjects of one fleet, all under a common prefix (default {@code quiesce}):
 * <ul>
 *   <li>{@code <prefix>.lifecycle.<service>.<event>} — startup, shutdown, heartbeat, connected, disconnected</li>
 *   <li>{@code <prefix>.lifecycle.group.restart} — group restart notices</li>
 *   <li>{@code <prefix>.service.discovery} — announcements; {@code <prefix>.service.discovery.poll} — "announce again"</li>
 * </ul>
 * A service name becomes one subject token: characters other than letters, digits, {@code -} and
 * {@code _} are replaced by {@code _} (so {@code my.svc} publishes as {@code my_svc}).
 */
public final class Subjects {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
  private static final Pattern NOT_TOKEN = Pattern.compile("[^A-Za-z0-9_-]");

  private final String prefix;

  /** @throws IllegalArgumentException if {@code prefix} is not dot-separated letters, digits, - and _ */
  public Subjects(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("subject prefix must be dot-separated tokens of letters, digits, - and _: " + prefix);
    }
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  /** One service name as a subject token. */
  public static String token(String serviceName) {
    String t = NOT_TOKEN.matcher(serviceName).replaceAll("_");
    return t.isEmpty() ? "_" : t;
  }

  public String lifecycle(String service, String event) {
    return prefix + ".lifecycle." + token(service) + "." + event;
  }

  public String groupRestart() {
    return prefix + ".lifecycle.group.restart";
  }

  public String discovery() {
    return prefix + ".service.discovery";
  }

  public String discoveryPoll() {
    return prefix + ".service.discovery.poll";
  }

  /** Every subject of this fleet: {@code <prefix>.>}. */
  public SubjectFilter all() {
    return SubjectFilter.of(prefix + ".>");
  }

  /** Every service's event of one kind: {@code <prefix>.lifecycle.*.<event>}. */
  public SubjectFilter anyService(String event) {
    return SubjectFilter.of(prefix + ".lifecycle.*." + event);
  }
}
