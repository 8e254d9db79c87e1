package io.quiesce.lifecycle;

import io.quiesce.api.ManagedService;
import io.quiesce.api.TaskCutException;
import io.quiesce.shutdown.ShutdownSequence.NamedTask;
import io.quiesce.time.Bounded;
import io.quiesce.time.RuntimeClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The emulator's managed services: started in registration order, rolled back in reverse if one
 * fails, stopped in reverse at shutdown, and — for the supervisor only — restarted in place or
 * stopped for good. Each service's status is kept here and nowhere else.
 *
 * <p>Thread-safe. Every stop is bounded by {@code server.stop_timeout}; a stop that overruns is
 * logged (or reported as cut at shutdown) and the sequence goes on.
 */
public final class ManagedServices {

  private static final Logger LOG = LogManager.getLogger(ManagedServices.class);

  /** What a rollback left behind. */
  record RollbackResult(List<String> cut, List<Throwable> errors) {}

  private final RuntimeClock clock;
  private final Duration stopTimeout;
  private final BooleanSupplier restartsAllowed;
  private final List<ManagedService> services = new CopyOnWriteArrayList<>();
  private final Map<String, ServiceStatus> status = new ConcurrentHashMap<>();
  private final List<ManagedService> started = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Future<Void>> restarting = new ConcurrentHashMap<>();

  ManagedServices(RuntimeClock clock, Duration stopTimeout, BooleanSupplier restartsAllowed) {
    this.clock = clock;
    this.stopTimeout = stopTimeout;
    this.restartsAllowed = restartsAllowed;
  }

  void register(ManagedService service) {
    if (status.putIfAbsent(service.name(), ServiceStatus.NEW) != null) {
      throw new IllegalArgumentException("a service named '" + service.name() + "' is already registered");
    }
    services.add(service);
  }

  int size() {
    return services.size();
  }

  /** Status of every registered service, in registration order. */
  public Map<String, ServiceStatus> statuses() {
    Map<String, ServiceStatus> out = new LinkedHashMap<>();
    for (ManagedService s : services) {
      out.put(s.name(), status.get(s.name()));
    }
    return out;
  }

  /**
   * The registered service of that name.
   *
   * @throws IllegalArgumentException if there is none
   */
  public ManagedService service(String name) {
    for (ManagedService s : services) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no service named '" + name + "'");
  }

  /** Starts the service at {@code index}; on success it is listed for stopping. */
  Future<Void> startOne(int index) {
    ManagedService service = services.get(index);
    status.put(service.name(), ServiceStatus.STARTING);
    LOG.info("Starting service {}", service.name());
    return call(service::start).andThen(ar -> {
      if (ar.succeeded()) {
        status.put(service.name(), ServiceStatus.RUNNING);
        started.add(service);
      } else {
        status.put(service.name(), ServiceStatus.FAILED);
      }
    });
  }

  String nameAt(int index) {
    return services.get(index).name();
  }

  /** Stops every started service in reverse order, each bounded by the stop timeout. Never fails. */
  Future<RollbackResult> rollBack() {
    RollbackResult result = new RollbackResult(new ArrayList<>(), new ArrayList<>());
    Future<Void> chain = Future.succeededFuture();
    for (ManagedService service : takeStarted()) {
      chain = chain.compose(v -> stopBounded(service).transform(ar -> {
        if (ar.failed()) {
          if (ar.cause() instanceof TaskCutException) {
            result.cut().add(service.name() + ": " + ar.cause().getMessage());
          } else {
            result.errors().add(ar.cause());
          }
        }
        return Future.succeededFuture();
      }));
    }
    return chain.map(result);
  }

  /**
   * One shutdown task per started service, in reverse start order: each stops its service within
   * the stop timeout, waiting first for a restart under way (which will not start it again once
   * shutdown was requested); a service that is not running then is not stopped again.
   */
  List<NamedTask> stopTasks() {
    List<NamedTask> tasks = new ArrayList<>();
    for (ManagedService service : takeStarted()) {
      Future<Void> pending = restarting.getOrDefault(service.name(), Future.succeededFuture());
      tasks.add(new NamedTask(service.name(), ctx -> pending.transform(ignored -> {
        if (status.get(service.name()) != ServiceStatus.RUNNING) {
          return Future.succeededFuture();
        }
        return stopBounded(service);
      })));
    }
    return tasks;
  }

  private List<ManagedService> takeStarted() {
    List<ManagedService> list;
    synchronized (started) {
      list = new ArrayList<>(started);
      started.clear();
    }
    Collections.reverse(list);
    return list;
  }

  /**
   * Stops a service within the stop timeout: fails with {@link TaskCutException} if it overran,
   * with its own error if it failed; the status is STOPPED or FAILED accordingly.
   */
  private Future<Void> stopBounded(ManagedService service) {
    status.put(service.name(), ServiceStatus.STOPPING);
    LOG.info("Stopping service {}", service.name());
    return Bounded.run(clock, stopTimeout, service::stop).compose(outcome -> {
      if (outcome.timedOut()) {
        status.put(service.name(), ServiceStatus.FAILED);
        return Future.failedFuture(new TaskCutException("stop still running after " + outcome.took().toMillis() + " ms"));
      }
      if (outcome.failure() != null) {
        status.put(service.name(), ServiceStatus.FAILED);
        return Future.failedFuture(outcome.failure());
      }
      status.put(service.name(), ServiceStatus.STOPPED);
      return Future.succeededFuture();
    });
  }

  /**
   * Stops one service and starts it again in place, while every other service (and the HTTP
   * server) keeps serving. Allowed only while the runtime is RUNNING and no shutdown was
   * requested; otherwise the future fails with {@link IllegalStateException} and nothing happens.
   * A RUNNING service is stopped first (a stop that fails or overruns is logged and the start goes
   * ahead); a FAILED one is only started. A restart already under way is joined, not repeated.
   * The future fails with the start's error if the start fails (the service is then FAILED).
   */
  public Future<Void> restart(String name) {
    ManagedService service = service(name);
    Promise<Void> done = Promise.promise();
    boolean wasRunning;
    synchronized (this) {
      if (!restartsAllowed.getAsBoolean()) {
        return Future.failedFuture(new IllegalStateException("cannot restart " + name + ": the runtime is not running"));
      }
      Future<Void> pending = restarting.get(name);
      if (pending != null) {
        return pending;
      }
      ServiceStatus now = status.get(name);
      if (now != ServiceStatus.RUNNING && now != ServiceStatus.FAILED) {
        return Future.failedFuture(new IllegalStateException("cannot restart " + name + " while it is " + now));
      }
      wasRunning = now == ServiceStatus.RUNNING;
      restarting.put(name, done.future());
    }
    LOG.info("Restarting service {} in place", name);
    Future<Void> stopped = wasRunning ? stopForRestart(service) : Future.succeededFuture();
    stopped.compose(v -> {
      synchronized (this) {
        if (!restartsAllowed.getAsBoolean()) {
          status.put(name, ServiceStatus.STOPPED);
          return Future.<Void>failedFuture(new IllegalStateException("shutdown began while " + name + " was restarting; not started again"));
        }
        status.put(name, ServiceStatus.STARTING);
      }
      return call(service::start).andThen(ar -> {
        status.put(name, ar.succeeded() ? ServiceStatus.RUNNING : ServiceStatus.FAILED);
        if (ar.failed()) {
          LOG.error("Service {} failed to start again", name, ar.cause());
        }
      });
    }).onComplete(ar -> {
      restarting.remove(name);
      done.handle(ar);
    });
    return done.future();
  }

  /**
   * Stops one running service for good and marks it FAILED (supervision gave up on it); the rest
   * keeps serving, and shutdown will not stop it again. Completes when stopped (bounded by the
   * stop timeout); never fails. Does nothing once shutdown was requested.
   */
  public Future<Void> stopFailed(String name) {
    ManagedService service = service(name);
    synchronized (this) {
      if (!restartsAllowed.getAsBoolean() || restarting.containsKey(name)) {
        return Future.succeededFuture();
      }
      if (status.get(name) != ServiceStatus.RUNNING) {
        status.put(name, ServiceStatus.FAILED);
        return Future.succeededFuture();
      }
      // Listed with the restarts, so that a shutdown arriving now waits for this stop.
      Promise<Void> done = Promise.promise();
      restarting.put(name, done.future());
      stopForRestart(service).onComplete(ar -> {
        status.put(name, ServiceStatus.FAILED);
        restarting.remove(name);
        done.complete();
      });
      return done.future();
    }
  }

  private Future<Void> stopForRestart(ManagedService service) {
    return stopBounded(service).recover(e -> {
      LOG.warn("Service {}: {}; going on", service.name(), e instanceof TaskCutException ? e.getMessage() : "stop failed", e);
      status.put(service.name(), ServiceStatus.STOPPED);
      return Future.succeededFuture();
    });
  }

  static Future<Void> call(Supplier<? extends Future<?>> step) {
    try {
      Future<?> f = step.get();
      return f == null ? Future.failedFuture(new IllegalStateException("returned no future")) : f.mapEmpty();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
