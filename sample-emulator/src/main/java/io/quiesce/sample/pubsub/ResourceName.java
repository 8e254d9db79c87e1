package io.quiesce.sample.pubsub;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A topic or subscription name, {@code projects/{project}/topics/{id}} or
 * {@code projects/{project}/subscriptions/{id}}, checked by Pub/Sub's rules for the id (a letter
 * first, then letters, digits and {@code -_.~+%}, 3 to 255 characters, not starting with
 * {@code goog}). Project ids are taken as the real service takes them, lower-case letters, digits
 * and hyphens; the emulator does not ask for an existing project.
 *
 * <p>{@link #fileName()} is the name's directory in the data directory, {@code project~id}: the
 * project has no {@code ~} and never starts with a dot, so the mapping is one to one and never
 * looks like a temporary file.
 */
record ResourceName(String project, String kind, String id) {

  static final String TOPICS = "topics";
  static final String SUBSCRIPTIONS = "subscriptions";

  private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9\\-_.~+%]{2,254}");
  private static final Pattern FULL = Pattern.compile("projects/([^/]*)/(topics|subscriptions)/(.*)");
  private static final int MAX_FILE_NAME_BYTES = 255;

  /** Parses {@code name} as a name of {@code kind}; {@code field} says which request field it came from. */
  static ResourceName parse(String name, String kind, String field) {
    Matcher m = FULL.matcher(name);
    if (name.isEmpty()) {
      throw PubSubError.invalid("The " + field + " field is required: projects/{project}/" + kind + "/{id}");
    }
    if (!m.matches() || !m.group(2).equals(kind)) {
      throw PubSubError.invalid("Invalid " + field + " \"" + name + "\": expected projects/{project}/" + kind + "/{id}");
    }
    return of(m.group(1), kind, m.group(3), field);
  }

  /** A project, {@code projects/{project}}, as list requests name it. */
  static String project(String name) {
    String project = name.startsWith("projects/") ? name.substring("projects/".length()) : "";
    if (!PROJECT.matcher(project).matches()) {
      throw PubSubError.invalid("Invalid project \"" + name + "\": expected projects/{project}, a project id of lower-case letters, digits and hyphens");
    }
    return project;
  }

  /** The name a directory of the data directory stands for; one that stands for none is not ours. */
  static ResourceName fromFileName(String fileName, String kind) {
    int tilde = fileName.indexOf('~');
    try {
      if (tilde >= 0) {
        return of(fileName.substring(0, tilde), kind, fileName.substring(tilde + 1), "file name");
      }
    } catch (PubSubError e) {
      // reported below
    }
    throw new IllegalStateException("pubsub/" + kind + "/" + fileName + " in the data directory is not a Pub/Sub "
        + kind.substring(0, kind.length() - 1) + " of this emulator (expected project~id)");
  }

  private static ResourceName of(String project, String kind, String id, String field) {
    if (!PROJECT.matcher(project).matches()) {
      throw PubSubError.invalid("Invalid project \"" + project + "\" in " + field + ": lower-case letters, digits and hyphens expected");
    }
    if (!ID.matcher(id).matches() || id.startsWith("goog")) {
      throw PubSubError.invalid("Invalid " + field + " id \"" + id + "\": it must start with a letter, hold 3 to 255 letters, digits or "
          + "-_.~+% and not start with \"goog\"");
    }
    ResourceName n = new ResourceName(project, kind, id);
    if (n.fileName().getBytes(StandardCharsets.UTF_8).length > MAX_FILE_NAME_BYTES) {
      throw PubSubError.invalid("Invalid " + field + " \"" + n + "\": project and id together may have at most "
          + (MAX_FILE_NAME_BYTES - 1) + " characters in this emulator");
    }
    return n;
  }

  String fileName() {
    return project + "~" + id;
  }

  @Override
  public String toString() {
    return "projects/" + project + "/" + kind + "/" + id;
  }
}
