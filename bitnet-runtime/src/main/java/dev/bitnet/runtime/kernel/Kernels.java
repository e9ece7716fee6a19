package dev.bitnet.runtime.kernel;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Where the runtime gets its {@link BitKernels}. {@link #preferred()} is chosen once, on first
 * use: the Panama (Vector API) kernels when the {@code jdk.incubator.vector} module is in the
 * boot layer and usable, else the scalar reference with one log line saying why and how to
 * enable the fast path ({@code java --add-modules jdk.incubator.vector ...}).
 *
 * <p>The system property {@value #PROPERTY} selects the kernels: {@code auto} (the default) as
 * above, or {@code scalar} to force the scalar reference (for comparisons and for ruling out the
 * Vector API when hunting a bug): {@code java -Dbitnet.kernels=scalar ...}.
 *
 * <p>The Panama class is only loaded after the module check passed, so running without the
 * module never fails with {@code NoClassDefFoundError}.
 */
public final class Kernels {

    /** The system property that selects the kernels: {@code auto} (default) or {@code scalar}. */
    public static final String PROPERTY = "bitnet.kernels";

    static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static final System.Logger LOG = System.getLogger(Kernels.class.getName());

    private Kernels() {
    }

    /**
     * The kernels to use: Panama when available, else scalar (see the class comment).
     *
     * @throws IllegalArgumentException if {@value #PROPERTY} has a value other than {@code auto} or {@code scalar}
     */
    public static BitKernels preferred() {
        if (Holder.ERROR != null) {
            throw new IllegalArgumentException(Holder.ERROR);
        }
        return Holder.IMPL;
    }

    /** The scalar reference kernels, always available. */
    public static BitKernels scalar() {
        return ScalarBitKernels.INSTANCE;
    }

    /**
     * The Panama (Vector API) kernels, whatever {@value #PROPERTY} says; for tests and benchmarks.
     *
     * @throws UnsupportedOperationException if the Vector API module is not enabled or the
     *                                       preferred vector shape is under 128 bits
     */
    public static BitKernels panama() {
        if (!vectorModuleInBootLayer()) {
            throw new UnsupportedOperationException(VECTOR_MODULE + " is not in the boot layer: run java with --add-modules "
                    + VECTOR_MODULE);
        }
        return loadPanama();
    }

    /**
     * The choice of kernels as a pure function of its inputs, so that every branch can be tested
     * in one JVM.
     *
     * @param property            the value of {@value #PROPERTY}, or {@code null} if unset
     * @param vectorModulePresent whether {@code jdk.incubator.vector} is in the boot layer
     * @param vmInfo              the {@code java.vm.info} property (tells an interpreter-only JVM)
     * @throws IllegalArgumentException for an unknown property value
     */
    static Selection select(String property, boolean vectorModulePresent, String vmInfo) {
        String mode = property == null ? "auto" : property.strip();
        switch (mode) {
            case "scalar" -> {
                return new Selection(false, Level.INFO,
                        "bit kernels: scalar (forced by -D" + PROPERTY + "=scalar)");
            }
            case "auto", "" -> {
                // handled below
            }
            default -> throw new IllegalArgumentException(
                    "system property " + PROPERTY + " must be 'auto' or 'scalar', got '" + property + "'");
        }
        if (!vectorModulePresent) {
            return new Selection(false, Level.WARNING,
                    "bit kernels: scalar, because the Vector API module " + VECTOR_MODULE + " is not enabled;"
                            + " run java with --add-modules " + VECTOR_MODULE + " for the ~3-4x faster Panama kernels");
        }
        if (vmInfo != null && vmInfo.contains("interpreted mode")) {
            return new Selection(false, Level.WARNING,
                    "bit kernels: scalar, because the JVM runs interpreted (-Xint), where the Vector API is far slower than scalar code");
        }
        return new Selection(true, Level.DEBUG, "bit kernels: Panama");
    }

    /** The outcome of {@link #select}: which kernels, and the one log line that says why. */
    record Selection(boolean panama, Level level, String message) {
    }

    private static boolean vectorModuleInBootLayer() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** Loads the Panama class by name, so nothing links to the incubator module before the checks. */
    private static BitKernels loadPanama() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> cls = lookup.findClass(Kernels.class.getPackageName() + ".PanamaBitKernels");
            return (BitKernels) lookup.findConstructor(cls, MethodType.methodType(void.class)).invoke();
        } catch (UnsupportedOperationException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot load the Panama bit kernels", e);
        }
    }

    /** Chooses once, on first use of {@link #preferred()}. */
    private static final class Holder {
        static final BitKernels IMPL;
        static final String ERROR;

        static {
            BitKernels impl = ScalarBitKernels.INSTANCE;
            String error = null;
            try {
                Selection s = select(System.getProperty(PROPERTY), vectorModuleInBootLayer(), System.getProperty("java.vm.info"));
                if (s.panama()) {
                    try {
                        impl = loadPanama();
                        LOG.log(s.level(), s.message() + " (" + impl.name() + ")");
                    } catch (UnsupportedOperationException e) {
                        LOG.log(Level.WARNING, "bit kernels: scalar, because " + e.getMessage());
                    }
                } else {
                    LOG.log(s.level(), s.message());
                }
            } catch (IllegalArgumentException e) {
                error = e.getMessage();
            }
            IMPL = impl;
            ERROR = error;
        }
    }
}
