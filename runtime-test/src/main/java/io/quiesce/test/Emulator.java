package io.quiesce.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@link QuiesceTest} class that the kit fills with the in-process emulator: its
 * type is {@link java.net.URI} (base URI), {@link io.quiesce.api.QuiesceRuntime} or
 * {@link InProcessEmulator}. A marker rather than injection by type alone, so that a test's own
 * fields of those types are left alone.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Emulator {
}
