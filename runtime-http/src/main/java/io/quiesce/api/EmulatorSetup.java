package io.quiesce.api;

/**
 * Where an emulator plugs into the runtime: register managed services, shutdown callbacks, health
 * procedures and routes. Called once, after configuration is validated and before anything
 * starts; throwing fails startup with exit code 1.
 */
@FunctionalInterface
public interface EmulatorSetup {
  void configure(QuiesceRuntime runtime) throws Exception;
}
