package io.quiesce.bench;

import io.vertx.core.json.JsonObject;

/**
 * One benchmark's outcome: a Markdown table for people and a JSON summary for machines.
 *
 * @param key short machine name ("throughput")
 * @param title heading in RESULTS.md
 * @param markdown the table and notes
 * @param summary figures, each a number or boolean, plus "targets_met"
 */
record Section(String key, String title, String markdown, JsonObject summary) {}
