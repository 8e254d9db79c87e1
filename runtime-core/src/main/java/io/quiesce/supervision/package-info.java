/**
 * Internal to Quiesce, except {@code RestartPolicy} and {@code RestartMode}, which the API names
 * (see {@code io.quiesce.api}).
 */
package io.quiesce.supervision;
