package io.quiesce.events;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ShutdownReason;
import io.quiesce.lifecycle.LifecycleManager;
import io.quiesce.time.RuntimeClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Acts on group restart notices: for a valid notice aimed at this service it logs a warning,
 * tells the {@link RestartListener}s, keeps serving for {@code delay_seconds}, then starts the
 * graceful shutdown with reason {@link ShutdownReason#RESTART}.
 *
 * <p>Only the first accepted notice counts; later ones are logged and ignored (the restart is
 * already on its way). A notice with bad JSON or bad fields, one for other services, or any notice
 * while disabled is logged and ignored: a notice never stops a service it does not validly target.
 */
public final class GroupRestart {

  private static final Logger LOG = LogManager.getLogger(GroupRestart.class);

  private final String service;
  private final boolean enabled;
  private final RuntimeClock clock;
  private final LifecycleManager lifecycle;
  private final List<RestartListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicReference<RestartNotice> accepted = new AtomicReference<>();

  public GroupRestart(String service, boolean enabled, RuntimeClock clock, LifecycleManager lifecycle) {
    this.service = service;
    this.enabled = enabled;
    this.clock = clock;
    this.lifecycle = lifecycle;
  }

  /** Subscribes to the restart subject of {@code subjects} on {@code hub}. */
  public void attach(EventHub hub, Subjects subjects) {
    hub.subscribe(SubjectFilter.of(subjects.groupRestart()), this::onMessage);
  }

  public void addListener(RestartListener listener) {
    listeners.add(listener);
  }

  /** The notice this service is restarting for, or null. */
  public RestartNotice accepted() {
    return accepted.get();
  }

  void onMessage(EventMessage message) {
    RestartNotice notice;
    try {
      notice = RestartNotice.parse(message.body());
    } catch (InvalidNoticeException e) {
      LOG.warn("Ignoring invalid group restart notice on {}: {}", message.subject(), e.getMessage());
      return;
    }
    if (!notice.targets(service)) {
      LOG.info("Group restart from {} is for {}, not for {}; ignored", notice.initiator(), notice.targets(), service);
      return;
    }
    if (!enabled) {
      LOG.warn("Group restart from {} ({}) ignored: events.group_restart is false", notice.initiator(), notice.reason());
      return;
    }
    LifecycleState state = lifecycle.state();
    if (state != LifecycleState.RUNNING && state != LifecycleState.STARTING) {
      LOG.info("Group restart from {} ignored: already {}", notice.initiator(), state.name().toLowerCase());
      return;
    }
    if (!accepted.compareAndSet(null, notice)) {
      LOG.info("Group restart from {} ignored: already restarting for {}", notice.initiator(), accepted.get().initiator());
      return;
    }
    LOG.warn("Group restart requested by {} ({}): still serving for {} ms, then shutting down to restart",
        notice.initiator(), notice.reason(), notice.delay().toMillis());
    for (RestartListener l : listeners) {
      try {
        l.onRestartNotice(notice);
      } catch (RuntimeException e) {
        LOG.warn("Restart listener failed", e);
      }
    }
    clock.schedule(notice.delay(), () -> lifecycle.shutdown(ShutdownReason.RESTART));
  }
}
