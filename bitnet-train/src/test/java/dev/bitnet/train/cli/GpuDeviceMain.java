package dev.bitnet.train.cli;

/**
 * For {@link GpuDeviceChildJvmTest}: resolves each argument as a {@code --device} in a fresh JVM (DJL loads
 * its engine once per JVM) and prints one line per argument: {@code ok <device>} or {@code <exit code>
 * bitnet train: <message>}, as the CLI would print it. The argument {@code engine} only loads the engine.
 */
public final class GpuDeviceMain {

    private GpuDeviceMain() {
    }

    public static void main(String[] args) {
        for (String a : args) {
            try {
                if ("engine".equals(a)) {
                    GpuDevice.loadEngine("gpu");
                    System.out.println("ok engine");
                } else {
                    System.out.println("ok " + GpuDevice.resolve(a));
                }
            } catch (BadInputException e) {
                System.out.println("2 bitnet train: " + e.getMessage());
            } catch (RuntimeException e) {
                System.out.println("1 bitnet train: " + e.getMessage() + " [" + e.getClass().getSimpleName() + "]");
            }
        }
    }
}
