/**
 * Internal to Quiesce, except {@code ConfigKey}, {@code LoadedConfig}, {@code RuntimeKeys} and
 * {@code ConfigRequest}, which the API names (see {@code io.quiesce.api}).
 */
package io.quiesce.config;
