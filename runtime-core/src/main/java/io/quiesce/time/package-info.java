/**
 * Internal to Quiesce, except {@code Deadline}, which the API names (see {@code io.quiesce.api}).
 */
package io.quiesce.time;
