/**
 * Internal to Quiesce, except {@code Component}, which the API names (see {@code io.quiesce.api}).
 */
package io.quiesce.health;
