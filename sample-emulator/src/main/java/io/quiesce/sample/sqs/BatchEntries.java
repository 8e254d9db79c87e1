package io.quiesce.sample.sqs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** The entries of a batch request, checked as SQS checks them, and how one entry's failure is reported. */
final class BatchEntries {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  private BatchEntries() {}

  /** A batch's entries: 1 to 10 objects with distinct, well-formed ids, or the error SQS answers. */
  static JsonArray of(JsonObject in, String entryType) {
    JsonArray entries = SqsJson.array(in, "Entries");
    if (entries == null || entries.isEmpty()) {
      throw new SqsError("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", "There should be at least one "
          + entryType + " in the request.");
    }
    if (entries.size() > SqsApi.MAX_BATCH) {
      throw new SqsError("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
          "Maximum number of entries per request are " + SqsApi.MAX_BATCH + ". You have sent " + entries.size() + ".");
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.getValue(i) instanceof JsonObject entry)) {
        throw SqsError.invalidParameter("Entries must be a list of objects; entry " + (i + 1) + " is not.");
      }
      Object id = entry.getValue("Id");
      if (!(id instanceof String s) || !ID.matcher(s).matches()) {
        throw new SqsError("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId",
            "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");
      }
      if (!ids.add((String) id)) {
        throw new SqsError("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id " + id + " repeated.");
      }
    }
    return entries;
  }

  /** One entry's failure as the batch answer lists it. */
  static JsonObject failure(JsonObject entry, SqsError err) {
    return new JsonObject().put("Id", entry.getString("Id")).put("SenderFault", err.status() < 500).put("Code", err.queryCode())
        .put("Message", err.getMessage());
  }
}
