package io.quiesce.events;

/**
 * What a heartbeat reports about the service's work at one instant.
 *
 * @param health the service's health state in lower case (e.g. {@code running}, {@code draining})
 * @param inFlight requests being served now
 * @param requests requests admitted since start
 * @param errors requests that failed since start (see the README for what counts)
 */
public record LoadSnapshot(String health, long inFlight, long requests, long errors) {}
