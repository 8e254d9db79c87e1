/**
 * Internal to Quiesce, except {@code LifecycleEvents} and the types its public methods name, which
 * the API names (see {@code io.quiesce.api}).
 */
package io.quiesce.events;
