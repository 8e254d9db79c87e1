package io.quiesce.test;

import io.quiesce.api.QuiesceRuntime;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The JUnit 5 extension behind {@link QuiesceTest}. Emulators are started when first asked for and
 * kept in JUnit's store of the scope they belong to (the class, or the test method), which closes
 * them when that scope ends — also when the test fails.
 */
public final class QuiesceExtension implements ParameterResolver, TestInstancePostProcessor {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(QuiesceExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == URI.class || type == QuiesceRuntime.class || type == InProcessEmulator.class || type == EmulatorProcess.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    try {
      if (type == EmulatorProcess.class) {
        if (context.getTestMethod().isEmpty()) {
          throw new ParameterResolutionException("an EmulatorProcess is a test method's own: declare it on the @Test method");
        }
        EmulatorProcess process = launcher(context).startProcess();
        context.getStore(NAMESPACE).put(EmulatorProcess.class.getName() + "#" + parameter.getIndex(), process);
        process.awaitReady();
        return process;
      }
      return view(inProcess(context), type);
    } catch (ParameterResolutionException | ExtensionConfigurationException e) {
      throw e;
    } catch (Exception e) {
      throw new ParameterResolutionException("cannot start the emulator for " + type.getSimpleName() + ": " + e, e);
    }
  }

  @Override
  public void postProcessTestInstance(Object instance, ExtensionContext context) throws Exception {
    for (Field field : AnnotationSupport.findAnnotatedFields(instance.getClass(), Emulator.class, f -> true,
        HierarchyTraversalMode.TOP_DOWN)) {
      Class<?> type = field.getType();
      if (Modifier.isStatic(field.getModifiers())
          || !(type == URI.class || type == QuiesceRuntime.class || type == InProcessEmulator.class)) {
        throw new ExtensionConfigurationException("@Emulator field " + field.getName() + " must be an instance field of type"
            + " URI, QuiesceRuntime or InProcessEmulator (an EmulatorProcess is a test method parameter)");
      }
      field.setAccessible(true);
      field.set(instance, view(inProcess(context), type));
    }
  }

  private static Object view(InProcessEmulator emulator, Class<?> type) {
    if (type == URI.class) {
      return emulator.baseUri();
    }
    return type == QuiesceRuntime.class ? emulator.runtime() : emulator;
  }

  /** The in-process emulator of the scope: the test class's, or with perTest the test method's. */
  private static InProcessEmulator inProcess(ExtensionContext context) throws Exception {
    QuiesceTest settings = settings(context);
    ExtensionContext scope = settings.perTest() ? context : classScope(context);
    if (settings.perTest() && context.getTestMethod().isEmpty()) {
      throw new ExtensionConfigurationException("@QuiesceTest(perTest = true): an emulator per test cannot fill fields;"
          + " declare it as a test method parameter");
    }
    InProcessEmulator existing = scope.getStore(NAMESPACE).get(InProcessEmulator.class, InProcessEmulator.class);
    if (existing != null) {
      return existing;
    }
    InProcessEmulator started = launcher(context).startInProcess();
    scope.getStore(NAMESPACE).put(InProcessEmulator.class, started);
    return started;
  }

  private static ExtensionContext classScope(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  private static EmulatorLauncher launcher(ExtensionContext context) {
    QuiesceTest settings = settings(context);
    EmulatorLauncher launcher = EmulatorLauncher.of(settings.value()).set(settings.set());
    return settings.dataDirKey().isEmpty() ? launcher : launcher.dataDir(settings.dataDirKey());
  }

  private static QuiesceTest settings(ExtensionContext context) {
    return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), QuiesceTest.class)
        .orElseThrow(() -> new ExtensionConfigurationException(
            "QuiesceExtension needs @QuiesceTest(MyEmulator.class) on " + context.getRequiredTestClass().getName()));
  }
}
