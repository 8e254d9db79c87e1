/**
 * The API an emulator is written against, in one package: {@code QuiesceApplication} (the
 * builder and {@code run}), {@code EmulatorSetup} and {@code QuiesceRuntime} (from
 * runtime-http), and the lifecycle and shutdown vocabulary their signatures use
 * ({@link io.quiesce.api.ManagedService}, {@link io.quiesce.api.ShutdownPhase},
 * {@link io.quiesce.api.ShutdownTask}, {@link io.quiesce.api.ShutdownReport}, …).
 *
 * <p>The package spans runtime-core and runtime-http, so one import serves an author. A module
 * descriptor exporting only this package was not chosen: the runnable jar is shaded, and several
 * dependencies (Hazelcast, jnats, SnakeYAML) are not modules. The few value types that signatures
 * here name from other packages are API too: {@code io.quiesce.config.ConfigKey},
 * {@code LoadedConfig}, {@code RuntimeKeys}, {@code ConfigRequest}, {@code
 * io.quiesce.supervision.RestartPolicy}, {@code io.quiesce.health.Component}, {@code
 * io.quiesce.events.LifecycleEvents} and {@code io.quiesce.time.Deadline}. Every other package is
 * internal (its package documentation says so).
 */
package io.quiesce.api;
