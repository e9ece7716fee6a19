package dev.bitnet.runtime.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Ctrl-C (SIGINT) handed to an action while one is set, so that {@code chat} can stop an answer
 * and go on; at any other time it ends the JVM with exit code 130, as without this class.
 * It uses {@code sun.misc.Signal} (module {@code jdk.unsupported}), reached reflectively because
 * javac's "internal proprietary API" warning for it cannot be suppressed.
 */
final class CtrlC {

    /** 128 + SIGINT: the exit code of a process that Ctrl-C ended. */
    static final int EXIT_CODE = 130;

    private final Method handle;   // sun.misc.Signal.handle(Signal, SignalHandler)
    private final Object sigint;   // new sun.misc.Signal("INT")
    private final Object handler;  // a SignalHandler that calls fire()
    private volatile Runnable action;

    private CtrlC(Method handle, Object sigint, Class<?> handlerClass) {
        this.handle = handle;
        this.sigint = sigint;
        this.handler = Proxy.newProxyInstance(CtrlC.class.getClassLoader(), new Class<?>[] {handlerClass},
                (proxy, method, args) -> switch (method.getName()) {
                    case "handle" -> {
                        fire();
                        yield null;
                    }
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "CtrlC";
                });
    }

    /**
     * Takes SIGINT for this JVM. Empty where that is not possible: no {@code sun.misc.Signal}, or
     * SIGINT ignored (a background job of a non-interactive shell), where Ctrl-C cannot reach us anyway.
     */
    static Optional<CtrlC> install() {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            CtrlC ctrlC = new CtrlC(signalClass.getMethod("handle", signalClass, handlerClass),
                    signalClass.getConstructor(String.class).newInstance("INT"), handlerClass);
            Object previous = ctrlC.handle.invoke(null, ctrlC.sigint, ctrlC.handler);
            if (previous == handlerClass.getField("SIG_IGN").get(null)) {
                ctrlC.handle.invoke(null, ctrlC.sigint, previous);
                return Optional.empty();
            }
            return Optional.of(ctrlC);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /**
     * Runs {@code body}; Ctrl-C meanwhile runs {@code onCtrlC} (on another thread) instead of
     * ending the JVM. The handler is registered again first: the JDK's line editor registers its
     * own for SIGINT (the default action, which kills the JVM) when it first reads a line.
     */
    <T> T during(Runnable onCtrlC, Supplier<T> body) {
        try {
            handle.invoke(null, sigint, handler);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // It was registered once; if that can no longer be done, Ctrl-C ends the JVM.
        }
        action = onCtrlC;
        try {
            return body.get();
        } finally {
            action = null;
        }
    }

    private void fire() {
        Runnable a = action;
        if (a != null) {
            a.run();
        } else {
            System.exit(EXIT_CODE);
        }
    }
}
