/**
 * Internal to Quiesce: not part of the API and may change in any release. Emulators use
 * {@code io.quiesce.api} and the types its signatures name.
 */
package io.quiesce.tls;
