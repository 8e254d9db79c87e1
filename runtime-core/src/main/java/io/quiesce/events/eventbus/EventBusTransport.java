package io.quiesce.events.eventbus;

import io.quiesce.events.EventMessage;
import io.quiesce.events.EventTransport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * Events over the Vert.x event bus: within one Vert.x instance, or across processes when that
 * Vert.x is clustered. The event bus has no wildcard subscriptions, so every event of a fleet goes
 * to one address, {@code <prefix>.events}, with its subject in the {@value #SUBJECT_HEADER} header;
 * receivers filter by subject themselves.
 */
public final class EventBusTransport implements EventTransport {

  /** The message header holding the event's subject. */
  public static final String SUBJECT_HEADER = "subject";

  private final Vertx vertx;
  private final String address;
  private MessageConsumer<Object> consumer;
  private Context context;

  public EventBusTransport(Vertx vertx, String prefix) {
    this.vertx = vertx;
    this.address = prefix + ".events";
  }

  /** The one address all events of the prefix travel on. */
  public String address() {
    return address;
  }

  @Override
  public String name() {
    return "eventbus";
  }

  @Override
  public Future<Void> start(Consumer<EventMessage> inbound) {
    context = vertx.getOrCreateContext();
    consumer = vertx.eventBus().consumer(address, message -> {
      String subject = message.headers().get(SUBJECT_HEADER);
      if (subject != null && message.body() instanceof JsonObject body) {
        inbound.accept(new EventMessage(subject, body));
      }
    });
    return consumer.completion();
  }

  @Override
  public Future<Void> publish(EventMessage message) {
    vertx.eventBus().publish(address, message.body(), new DeliveryOptions().addHeader(SUBJECT_HEADER, message.subject()));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    if (consumer == null) {
      return Future.succeededFuture();
    }
    // Unregister on the consumer's context, after the deliveries already queued there (the
    // shutdown event just published reaches our own consumer too), so none is discarded.
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> consumer.unregister().onComplete(done));
    return done.future();
  }
}
