package io.quiesce.events;

/**
 * What a heartbeat reports about the service's work at one instant.
 *
 * @param health the service's overall health in lower case ({@code healthy}, {@code degraded}, {@code failing})
 * @param inFlight requests being served now
 * @param requests requests handled since start
 * @param errors server errors (5xx) since start
 */
public record LoadSnapshot(String health, long inFlight, long requests, long errors) {}
